using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fanout.Http.Security;

/// <summary>
/// The outermost layer of the API: whatever a route did not answer becomes a JSON error with no detail a caller
/// could use against the node (no connection string, path, host or stack). The exception is logged under a short
/// reference that the answer carries, so an operator can find it. A run that does not answer and a database that
/// does not are temporary (503); a request Kestrel refuses (a body over the limit) keeps Kestrel's status.
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
            var (status, error) = Answer(e, log, http);
            http.Response.Clear();
            http.Response.StatusCode = status;
            await http.Response.WriteAsJsonAsync(new { error }, http.RequestAborted).ConfigureAwait(false);
        }
    });

    private static (int Status, string Error) Answer(Exception e, ILogger log, HttpContext http)
    {
        switch (e)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return (StatusCodes.Status413PayloadTooLarge, BodyLimit.TooLarge(http));
            case BadHttpRequestException bad:
                return (bad.StatusCode, $"bad request: {bad.Message}");
            case Runtime.RunDidNotAnswerException:
                return (StatusCodes.Status503ServiceUnavailable, e.Message);
            case DbException:
                return (StatusCodes.Status503ServiceUnavailable,
                    $"the journal database cannot be read (is it up?); see the node's log (ref {Logged(e, log, http)})");
            default:
                return (StatusCodes.Status500InternalServerError, $"internal error, see the node's log (ref {Logged(e, log, http)})");
        }
    }

    private static string Logged(Exception e, ILogger log, HttpContext http)
    {
        var reference = Guid.NewGuid().ToString("N")[..12];
        log.LogError(e, "HTTP {Method} {Path} failed (ref {Reference})", http.Request.Method, http.Request.Path, reference);
        return reference;
    }
}
