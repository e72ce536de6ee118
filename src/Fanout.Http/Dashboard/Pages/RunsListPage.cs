namespace Fanout.Dashboard.Pages;

/// <summary>The runs index, newest first, 50 a page, filtered by status and task (<c>table#runs</c>).</summary>
internal static class RunsListPage
{
    public static string Render(PageContext context, RunListQuery query, RunListPage page) => Layout.Render(context, "Runs", html =>
    {
        html.Element("h1", "Runs");
        html.Open("form", "id", "runs-filter", "method", "get", "action", "/ui/runs", "class", "filters");
        html.Element("label", "Status", "for", "status-filter");
        html.Open("select", "id", "status-filter", "name", "status");
        html.Element("option", "any", "value", "", "selected", query.Status is null ? "" : null);
        foreach (var status in Enum.GetValues<RunStatus>())
            html.Element("option", StatusText.Key(status), "value", StatusText.Key(status), "selected", query.Status == status ? "" : null);
        html.Close("select");
        html.Element("label", "Task", "for", "task-filter");
        html.Void("input", "id", "task-filter", "name", "task", "value", query.TaskName ?? "", "placeholder", "env.task");
        html.Element("button", "Filter", "type", "submit");
        html.Close("form");

        if (page.Runs.Count == 0) html.Element("p", query.Cursor is null ? "No runs yet." : "No more runs.", "class", "empty");
        html.Open("table", "id", "runs").Open("thead").Open("tr");
        foreach (var heading in new[] { "Run", "Task", "Status", "Started", "Finished", "Actions", "Progress" }) html.Element("th", heading, "scope", "col");
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var run in page.Runs)
        {
            html.Open("tr", "data-run-id", run.RunId);
            html.Open("td").Element("a", run.RunId, "class", "run-link", "href", RunPage.Url(run.RunId)).Close("td");
            html.Element("td", run.TaskName, "class", "run-task");
            html.Element("td", run.Status.ToString(), "class", $"run-status status-{StatusText.Key(run.Status)}");
            html.Open("td").Time(run.StartedAt).Close("td");
            html.Open("td").Time(run.FinishedAt).Close("td");
            html.Open("td", "class", "num").Number(run.TotalActions).Close("td");
            html.Open("td");
            StatusText.Progress(html, StatusText.Done(run.Counts), run.TotalActions);
            html.Close("td");
            html.Close("tr");
        }
        html.Close("tbody").Close("table");
        html.Open("nav", "class", "pager", "aria-label", "pages");
        if (query.Cursor is not null) html.Element("a", "First page", "id", "first-page", "href", Url(query.Status, query.TaskName, null));
        if (page.NextCursor is { } next) html.Element("a", "Next page", "id", "next-page", "href", Url(query.Status, query.TaskName, next));
        html.Close("nav");
    });

    public static string Url(RunStatus? status, string? task, string? cursor)
    {
        var parts = new List<string>();
        if (status is { } s) parts.Add("status=" + StatusText.Key(s));
        if (!string.IsNullOrEmpty(task)) parts.Add("task=" + Uri.EscapeDataString(task));
        if (cursor is not null) parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        return "/ui/runs" + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }
}
