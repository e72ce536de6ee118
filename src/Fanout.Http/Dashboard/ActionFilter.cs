using System.Globalization;
using Fanout.Dashboard.Pages;
using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard;

/// <summary>The run page's table filter and page from its query string: <c>status</c>, <c>group</c>, <c>task</c>, <c>page</c> (from 1).</summary>
internal sealed record ActionFilter(ActionStatus? Status, string? Group, string? Task, int Page)
{
    public const int PageSize = 100;

    /// <summary>Large enough for any run's page count; an offset past it would overflow.</summary>
    private const int MaxPage = 1_000_000;

    public int Offset => (Page - 1) * PageSize;

    public ActionQuery ToQuery() => new(Status, Group, Offset, PageSize, TaskName: Task);

    public static bool TryParse(IQueryCollection query, out ActionFilter filter, out string? problem)
    {
        filter = new ActionFilter(null, null, null, 1);
        problem = null;
        ActionStatus? status = null;
        if (Text(query, "status") is { } statusText)
        {
            if (!Enum.TryParse<ActionStatus>(statusText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || statusText.Any(char.IsDigit))
            {
                problem = $"status '{statusText}' is not one of: {string.Join(", ", StatusText.ActionStatuses.Select(StatusText.Key))}";
                return false;
            }
            status = parsed;
        }
        var page = 1;
        if (Text(query, "page") is { } pageText
            && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > MaxPage))
        {
            problem = $"page '{pageText}' must be a whole number from 1 to {MaxPage}";
            return false;
        }
        filter = new ActionFilter(status, Text(query, "group"), Text(query, "task"), page);
        return true;
    }

    /// <summary>The query string of this filter at another page (or the same), for links.</summary>
    public string QueryString(int? page = null)
    {
        var parts = new List<string>();
        if (Status is { } s) parts.Add("status=" + StatusText.Key(s));
        if (Group is not null) parts.Add("group=" + Uri.EscapeDataString(Group));
        if (Task is not null) parts.Add("task=" + Uri.EscapeDataString(Task));
        if ((page ?? Page) != 1) parts.Add("page=" + (page ?? Page).ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.FirstOrDefault() is { Length: > 0 } text ? text : null;
}
