namespace Fanout.Dashboard.Pages;

/// <summary>
/// One page of a run's actions (<c>table#actions</c>) with its count and pager, inside <c>#actions-section</c>: the run
/// page renders it in place and <c>/ui/runs/{id}/actions</c> serves it alone, for the script's live refresh.
/// </summary>
internal static class ActionsTable
{
    public static string Fragment(PublicPath path, string runId, ActionFilter filter, ActionPage page)
    {
        var html = new Html(path);
        Render(html, runId, filter, page);
        return html.ToString();
    }

    public static void Render(Html html, string runId, ActionFilter filter, ActionPage page)
    {
        var pages = Math.Max(1, (page.Total + ActionFilter.PageSize - 1) / ActionFilter.PageSize);
        html.Open("section", "id", "actions-section", "data-fragment", ActionsUrl(runId, filter), "aria-live", "off");
        html.Open("p", "class", "table-info").Element("span", page.Total.ToString("N0"), "id", "actions-total").Text(page.Total == 1 ? " action" : " actions")
            .Text(filter.Status is null && filter.Group is null && filter.Task is null ? "" : " match the filter").Close("p");
        html.Open("table", "id", "actions").Open("thead").Open("tr");
        foreach (var heading in new[] { "Action", "Status", "Task", "Group", "Attempts", "Started", "Finished", "Error" }) html.Element("th", heading, "scope", "col");
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var action in page.Actions)
        {
            html.Open("tr", "data-action-id", action.ActionId);
            html.Open("td").Element("a", action.ActionId, "class", "action-link", "href", ActionDetailPage.Url(runId, action.ActionId)).Close("td");
            html.Element("td", action.Status.ToString(), "class", $"action-status status-{StatusText.Key(action.Status)}");
            html.Element("td", action.TaskName, "class", "action-task");
            html.Element("td", action.Group, "class", "action-group");
            html.Element("td", action.Attempts.ToString(), "class", "action-attempts num");
            html.Open("td").Time(action.StartedAt).Close("td");
            html.Open("td").Time(action.FinishedAt).Close("td");
            html.Element("td", action.Error is { } e ? $"{e.Type}: {e.Message}" : "", "class", "action-error");
            html.Close("tr");
        }
        html.Close("tbody").Close("table");
        if (page.Actions.Count == 0) html.Element("p", "No actions on this page.", "class", "empty");
        html.Open("nav", "class", "pager", "aria-label", "pages of actions");
        if (filter.Page > 1) html.Element("a", "Previous", "id", "prev-actions", "href", RunPage.Url(runId) + filter.QueryString(Math.Min(filter.Page - 1, pages)));
        html.Element("span", $"page {filter.Page} of {pages}", "id", "actions-page");
        if (filter.Page < pages) html.Element("a", "Next", "id", "next-actions", "href", RunPage.Url(runId) + filter.QueryString(filter.Page + 1));
        html.Close("nav");
        html.Close("section");
    }

    public static string ActionsUrl(string runId, ActionFilter filter) => RunPage.Url(runId) + "/actions" + filter.QueryString();
}
