using System.Data.Common;
using Fanout.Dashboard;
using Fanout.Dashboard.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fanout.Http.Security;

/// <summary>
/// The outermost layer of the API: whatever a route did not answer becomes a JSON error with no detail a caller
/// could use against the node (no connection string, path, host or stack). The exception is logged under a short
/// reference that the answer carries, so an operator can find it. A run that does not answer and a database that
/// does not are temporary (503); a request Kestrel refuses (a body over the limit) keeps Kestrel's status. A browser
/// asking for a page gets the same answer as an HTML page (<see cref="ErrorPage"/>).
/// </summary>
internal static class ApiErrors
{
    public static void Use(WebApplication app, ILogger log) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is no one to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            var failure = Answer(e, log, http);
            http.Response.Clear();
            // A browser's page (Accept ranks HTML first) gets the answer as a page in the layout; API clients, JSON.
            if (BrowserRequest.PrefersHtml(http.Request))
            {
                await ErrorPage.Result(http, failure.Status, failure.Page).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }
            http.Response.StatusCode = failure.Status;
            await http.Response.WriteAsJsonAsync(new { error = failure.Error }, http.RequestAborted).ConfigureAwait(false);
        }
    });

    /// <summary>The status, the JSON error, and the same for a person reading a page.</summary>
    private sealed record Failure(int Status, string Error, string Page)
    {
        public Failure(int status, string error) : this(status, error, error)
        {
        }
    }

    private static Failure Answer(Exception e, ILogger log, HttpContext http)
    {
        switch (e)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return new Failure(StatusCodes.Status413PayloadTooLarge, BodyLimit.TooLarge(http));
            case BadHttpRequestException bad:
                return new Failure(bad.StatusCode, $"bad request: {bad.Message}");
            case Runtime.RunDidNotAnswerException:
                return new Failure(StatusCodes.Status503ServiceUnavailable, e.Message, $"{e.Message} Try again in a moment.");
            case DbException:
            {
                var reference = Logged(e, log, http);
                return new Failure(StatusCodes.Status503ServiceUnavailable,
                    $"the journal database cannot be read (is it up?); see the node's log (ref {reference})",
                    $"This page cannot be shown now: the node cannot read its journal. Try again in a moment; if it lasts, the node's log says why under ref {reference}.");
            }
            default:
            {
                var reference = Logged(e, log, http);
                return new Failure(StatusCodes.Status500InternalServerError, $"internal error, see the node's log (ref {reference})",
                    $"The node failed while making this page. Its log says why under ref {reference}.");
            }
        }
    }

    private static string Logged(Exception e, ILogger log, HttpContext http)
    {
        var reference = Guid.NewGuid().ToString("N")[..12];
        log.LogError(e, "HTTP {Method} {Path} failed (ref {Reference})", http.Request.Method, http.Request.Path, reference);
        return reference;
    }
}
