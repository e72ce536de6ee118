using Fanout.Dashboard.Pages;
using Fanout.Runtime.Index;
using Fanout.Views;
using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard;

/// <summary>
/// Reads what the run and action pages show through <see cref="IRunViews"/>, answering the 404 page for an id the runs
/// index does not know without asking (and so starting) the run's entity.
/// </summary>
internal static class RunPages
{
    public static async Task<IResult> RunAsync(HttpContext http, IRunViews views, string runId, CancellationToken ct)
    {
        if (!ActionFilter.TryParse(http.Request.Query, out var filter, out var problem)) return NotFoundPage.BadRequest(http, problem!);
        if (await MissingAsync(http, views, runId, ct).ConfigureAwait(false) is { } missing) return missing;
        string? searchError = null;
        if (http.Request.Query["find"].FirstOrDefault() is { Length: > 0 } find)
        {
            if (await views.GetActionAsync(runId, find.Trim(), ct).ConfigureAwait(false) is { Detail: not null })
                return Results.Redirect(PublicPath.Of(http).To(ActionDetailPage.Url(runId, find.Trim())));
            searchError = $"This run has no action with the id '{find}'.";
        }
        var summary = views.GetRunPageAsync(runId, ct);
        var page = views.ListActionsAsync(runId, filter.ToQuery(), ct);
        if (await summary.ConfigureAwait(false) is not { } run || await page.ConfigureAwait(false) is not { } actions)
            return NotFoundPage.Result(http, NotFoundPage.NoRun(runId, purged: false));
        return HtmlResponse.Page(RunPage.Render(PageContext.For(http), run, filter, actions, searchError));
    }

    public static async Task<IResult> ActionsAsync(HttpContext http, IRunViews views, string runId, CancellationToken ct)
    {
        if (!ActionFilter.TryParse(http.Request.Query, out var filter, out var problem)) return NotFoundPage.BadRequest(http, problem!);
        if (await MissingAsync(http, views, runId, ct).ConfigureAwait(false) is { } missing) return missing;
        if (await views.ListActionsAsync(runId, filter.ToQuery(), ct).ConfigureAwait(false) is not { } page)
            return NotFoundPage.Result(http, NotFoundPage.NoRun(runId, purged: false));
        return HtmlResponse.Page(ActionsTable.Fragment(PublicPath.Of(http), runId, filter, Http.Security.StackTraces.For(http, page)));
    }

    public static async Task<IResult> ActionAsync(HttpContext http, IRunViews views, string runId, CancellationToken ct)
    {
        if (http.Request.Query["id"].FirstOrDefault() is not { Length: > 0 } actionId)
            return NotFoundPage.BadRequest(http, "the action's page needs its id: /ui/runs/{runId}/action?id=<action id>");
        if (await MissingAsync(http, views, runId, ct).ConfigureAwait(false) is { } missing) return missing;
        return await views.GetActionAsync(runId, actionId, ct).ConfigureAwait(false) switch
        {
            null => NotFoundPage.Result(http, NotFoundPage.NoRun(runId, purged: false)),
            { Detail: null } => NotFoundPage.Result(http, $"Run '{runId}' has no action with the id '{actionId}'."),
            { Detail: { } detail } => HtmlResponse.Page(ActionDetailPage.Render(PageContext.For(http), runId, detail)),
        };
    }

    /// <summary>The 404 page when the index does not know the run (or it was purged), else null.</summary>
    public static async Task<IResult?> MissingAsync(HttpContext http, IRunViews views, string runId, CancellationToken ct)
    {
        if (RunIds.Problem(runId) is not null) return NotFoundPage.Result(http, NotFoundPage.NoRun(runId, purged: false));
        return await views.FindAsync(runId, ct).ConfigureAwait(false) switch
        {
            RunPresence.Unknown => NotFoundPage.Result(http, NotFoundPage.NoRun(runId, purged: false)),
            RunPresence.Purged => NotFoundPage.Result(http, NotFoundPage.NoRun(runId, purged: true)),
            _ => null,
        };
    }
}
