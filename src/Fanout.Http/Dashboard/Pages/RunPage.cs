using Fanout.Views;

namespace Fanout.Dashboard.Pages;

/// <summary>
/// A run (<c>/ui/runs/{id}</c>, and <c>run.Url</c> in a browser): its header and counts from the summary, its group
/// tree, and one page of its actions. The script keeps counts, bars and table fresh from <c>/ui/runs/{id}/events</c>.
/// </summary>
internal static class RunPage
{
    /// <summary>The run page's site path; <see cref="Html"/> writes it under the public URL's path, so links need not.</summary>
    public static string Url(string runId) => "/ui/runs/" + Uri.EscapeDataString(runId);

    public static string Render(PageContext context, RunPageView view, ActionFilter filter, ActionPage page, string? searchError)
    {
        var run = view.Summary;
        return Layout.Render(context, $"Run {run.RunId}", html =>
        {
            Header(html, context, run);
            GroupTree.Render(html, run.RunId, view.GroupTree);
            html.Open("section", "id", "actions-area", "aria-labelledby", "actions-heading");
            html.Element("h2", "Actions", "id", "actions-heading");
            Filters(html, run.RunId, filter, searchError);
            ActionsTable.Render(html, run.RunId, filter, page);
            html.Close("section");
        }, run.RunId);
    }

    private static void Header(Html html, PageContext context, RunSummary run)
    {
        var running = run.Status == RunStatus.Running;
        html.Open("section", "id", "run-header", "aria-labelledby", "run-id");
        html.Open("h1").Text("Run ").Element("span", run.RunId, "id", "run-id").Close("h1");
        html.Open("p", "class", "live").Element("span", running ? "live" : "ended", "id", "live", "data-state", running ? "live" : "ended",
            "role", "status").Close("p");
        html.Open("dl", "class", "facts");
        html.Element("dt", "Task").Open("dd").Element("span", run.TaskName, "id", "run-task").Close("dd");
        html.Element("dt", "Status").Open("dd").Element("span", run.Status.ToString(), "id", "run-status", "class", $"status-{StatusText.Key(run.Status)}").Close("dd");
        html.Element("dt", "Started").Open("dd").Time(run.StartedAt, "run-started").Close("dd");
        html.Element("dt", "Finished").Open("dd").Time(run.FinishedAt, "run-finished").Close("dd");
        html.Element("dt", "Actions").Open("dd").Element("span", run.TotalActions.ToString(), "id", "total-actions").Close("dd");
        html.Close("dl");
        StatusText.Progress(html, StatusText.Done(run.Counts), run.TotalActions, "run-progress", "actions of the run ended");
        html.Open("p", "id", "run-counts");
        StatusText.Counts(html, run.Counts, "data-count");
        html.Close("p");
        if (run.WaitingFor is { } waiting) html.Element("p", "Waiting for " + waiting, "id", "waiting-for", "class", "note");
        if (run.Error is { } error)
        {
            html.Open("div", "id", "error", "class", "error", "role", "alert");
            html.Element("strong", error.Type).Text(": ").Text(error.Message);
            if (context.MaySeeStackTraces && error.StackTrace is { } trace)
                html.Open("details").Element("summary", "Stack trace").Element("pre", trace, "class", "stack").Close("details");
            html.Close("div");
        }
        if (running && context.MayAct)
            html.Element("button", "Cancel run", "id", "cancel-run", "type", "button", "class", "danger", "data-run-id", run.RunId);
        html.Element("p", null, "id", "cancel-error", "class", "error", "role", "alert", "hidden", "");
        html.Close("section");
    }

    private static void Filters(Html html, string runId, ActionFilter filter, string? searchError)
    {
        html.Open("form", "id", "actions-filter", "method", "get", "action", Url(runId), "class", "filters");
        html.Element("label", "Status", "for", "action-status");
        html.Open("select", "id", "action-status", "name", "status");
        html.Element("option", "any", "value", "", "selected", filter.Status is null ? "" : null);
        foreach (var status in StatusText.ActionStatuses)
            html.Element("option", StatusText.Key(status), "value", StatusText.Key(status), "selected", filter.Status == status ? "" : null);
        html.Close("select");
        html.Element("label", "Group", "for", "action-group");
        html.Void("input", "id", "action-group", "name", "group", "value", filter.Group ?? "", "placeholder", "a/b");
        html.Element("label", "Task", "for", "action-task");
        html.Void("input", "id", "action-task", "name", "task", "value", filter.Task ?? "", "placeholder", "env.task");
        html.Element("button", "Filter", "type", "submit");
        // Always there (hidden without a filter): the script filters in place and shows it then.
        html.Element("a", "Clear", "id", "clear-filter", "href", Url(runId),
            "hidden", filter.Status is null && filter.Group is null && filter.Task is null ? "" : null);
        html.Close("form");

        html.Open("form", "id", "action-search", "method", "get", "action", Url(runId), "class", "filters", "role", "search");
        html.Element("label", "Action id", "for", "action-id");
        html.Void("input", "id", "action-id", "name", "find", "required", "", "placeholder", $"{runId}/...", "size", "40");
        html.Element("button", "Open", "type", "submit");
        html.Close("form");
        if (searchError is not null) html.Element("p", searchError, "id", "search-error", "class", "error", "role", "alert");
    }
}
