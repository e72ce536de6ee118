using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http;

/// <summary>Reads <c>status</c>, <c>task</c>, <c>since</c>, <c>limit</c> and <c>cursor</c> of <c>GET /runs</c>, naming what is wrong.</summary>
internal static class RunListQueryParser
{
    public static bool TryParse(IQueryCollection query, out RunListQuery? result, out string? problem)
    {
        result = null;
        problem = null;
        RunStatus? status = null;
        if (Text(query, "status") is { } statusText)
        {
            if (!Enum.TryParse<RunStatus>(statusText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)
                || statusText.Any(char.IsDigit))
            {
                problem = $"status '{statusText}' is not one of: {string.Join(", ", Enum.GetNames<RunStatus>().Select(n => n.ToLowerInvariant()))}";
                return false;
            }
            status = parsed;
        }

        DateTimeOffset? since = null;
        if (Text(query, "since") is { } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                problem = $"since '{sinceText}' is not an ISO-8601 date and time (for example 2026-11-29T12:00:00Z)";
                return false;
            }
            since = parsed;
        }

        var limit = 50;
        if (Text(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > RunListQuery.MaxLimit))
        {
            problem = $"limit '{limitText}' must be a whole number from 1 to {RunListQuery.MaxLimit}";
            return false;
        }

        var cursor = Text(query, "cursor");
        if (cursor is not null && !Runtime.Index.RunListCursor.TryRead(cursor, out _))
        {
            problem = $"cursor '{cursor}' is not a cursor this API gave out (use a page's nextCursor as it is)";
            return false;
        }

        result = new RunListQuery { Status = status, TaskName = Text(query, "task"), Since = since, Limit = limit, Cursor = cursor };
        return true;
    }

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.FirstOrDefault() is { Length: > 0 } text ? text : null;
}
