namespace Fanout.Dashboard.Pages;

/// <summary>One action (<c>/ui/runs/{id}/action?id=</c>): its record, attempts, error and the start of its input and result.</summary>
internal static class ActionDetailPage
{
    // Action ids hold '/' and '#', so they travel in the query string, never in a path segment.
    public static string Url(string runId, string actionId) => RunPage.Url(runId) + "/action?id=" + Uri.EscapeDataString(actionId);

    public static string Render(PageContext context, string runId, ActionDetail detail) => Layout.Render(context, $"Action {detail.Action.ActionId}", html =>
    {
        var action = detail.Action;
        html.Open("p", "class", "crumbs").Text("Run ").Element("a", runId, "id", "run-link", "href", RunPage.Url(runId)).Close("p");
        html.Open("h1").Text("Action ").Element("span", action.ActionId, "id", "action-id").Close("h1");
        html.Open("dl", "class", "facts");
        html.Element("dt", "Status").Open("dd").Element("span", action.Status.ToString(), "id", "action-status", "class", $"status-{StatusText.Key(action.Status)}").Close("dd");
        html.Element("dt", "Task").Open("dd").Element("span", action.TaskName, "id", "action-task").Close("dd");
        html.Element("dt", "Group").Open("dd").Element("span", action.Group.Length == 0 ? "(none)" : action.Group, "id", "action-group").Close("dd");
        html.Element("dt", "Parent").Open("dd");
        if (action.ParentId is { } parent) html.Element("a", parent, "id", "parent-link", "href", Url(runId, parent));
        else html.Element("a", "the run (this is its root action)", "id", "parent-link", "href", RunPage.Url(runId));
        html.Close("dd");
        html.Element("dt", "Started").Open("dd").Time(action.StartedAt, "action-started").Close("dd");
        html.Element("dt", "Finished").Open("dd").Time(action.FinishedAt, "action-finished").Close("dd");
        html.Close("dl");

        if (action.Error is { } error)
        {
            html.Open("section", "id", "action-error", "class", "error", "aria-labelledby", "error-heading");
            html.Element("h2", "Error", "id", "error-heading");
            html.Open("p").Element("code", error.Type, "id", "error-type").Close("p");
            html.Element("p", error.Message, "id", "error-message");
            if (context.MaySeeStackTraces && error.StackTrace is { } trace) html.Element("pre", trace, "id", "stack-trace", "class", "stack");
            html.Close("section");
        }

        Attempts(html, detail.Attempts);
        Preview(html, "Input", "input-preview", detail.InputPreview, detail.InputChars);
        Preview(html, "Result", "result-preview", detail.ResultPreview, detail.ResultChars);
    });

    private static void Attempts(Html html, IReadOnlyList<AttemptInfo> attempts)
    {
        html.Element("h2", "Attempts");
        html.Open("table", "id", "attempts").Open("thead").Open("tr");
        foreach (var heading in new[] { "#", "Node", "Started", "Ended", "Outcome", "Error" }) html.Element("th", heading, "scope", "col");
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var attempt in attempts)
        {
            html.Open("tr", "data-attempt", attempt.Number.ToString());
            html.Element("td", attempt.Number.ToString(), "class", "num");
            html.Element("td", attempt.Node ?? "-", "class", "attempt-node");
            html.Open("td").Time(attempt.StartedAt).Close("td");
            html.Open("td").Time(attempt.EndedAt).Close("td");
            html.Element("td", attempt.Outcome.ToString(), "class", "attempt-outcome");
            html.Element("td", attempt.Error?.Type ?? "", "class", "attempt-error", "title", attempt.Error?.Message);
            html.Close("tr");
        }
        html.Close("tbody").Close("table");
    }

    private static void Preview(Html html, string title, string id, string? preview, int chars)
    {
        html.Element("h2", title);
        if (preview is null)
        {
            html.Element("p", "No result yet.", "class", "empty");
            html.Element("pre", "", "id", id, "class", "preview", "hidden", "");
            return;
        }
        html.Element("pre", preview, "id", id, "class", "preview", "tabindex", "0");
        if (chars > preview.Length)
            html.Element("p", $"Showing the first {preview.Length:N0} of {chars:N0} characters.", "class", "preview-cut");
    }
}
