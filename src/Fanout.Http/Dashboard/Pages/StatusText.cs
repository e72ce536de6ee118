namespace Fanout.Dashboard.Pages;

/// <summary>How statuses, counts and progress read on the pages; the names match the JSON API's camelCase values.</summary>
internal static class StatusText
{
    public static readonly ActionStatus[] ActionStatuses = Enum.GetValues<ActionStatus>();

    /// <summary>The value in a query string, a <c>data-count</c> attribute and the JSON: <c>succeeded</c>.</summary>
    public static string Key(ActionStatus status) => status.ToString().ToLowerInvariant();

    public static string Key(RunStatus status) => status.ToString().ToLowerInvariant();

    public static int Count(IReadOnlyDictionary<ActionStatus, int> counts, ActionStatus status) => counts.TryGetValue(status, out var n) ? n : 0;

    public static int Done(IReadOnlyDictionary<ActionStatus, int> counts) =>
        Count(counts, ActionStatus.Succeeded) + Count(counts, ActionStatus.Failed) + Count(counts, ActionStatus.Cancelled);

    /// <summary>A bar of ended actions over all, with the numbers for a screen reader.</summary>
    public static void Progress(Html html, int done, int total, string? id = null, string? label = null) =>
        html.Element("progress", $"{done} of {total}", "id", id, "class", "bar", "max", Math.Max(total, 1).ToString(),
            "value", done.ToString(), "aria-label", label ?? "actions ended", "data-done", done.ToString(), "data-total", total.ToString());

    /// <summary>One badge per status, each <c>[data-count="status"]</c> (or <paramref name="attribute"/>) holding its number.</summary>
    public static void Counts(Html html, IReadOnlyDictionary<ActionStatus, int> counts, string attribute)
    {
        html.Open("span", "class", "counts");
        foreach (var status in ActionStatuses)
        {
            var n = Count(counts, status);
            html.Open("span", "class", $"count status-{Key(status)}{(n == 0 ? " zero" : "")}", "title", status.ToString())
                .Element("span", status.ToString().ToLowerInvariant() + " ", "class", "label")
                .Element("span", n.ToString(), attribute, Key(status))
                .Close("span");
        }
        html.Close("span");
    }
}
