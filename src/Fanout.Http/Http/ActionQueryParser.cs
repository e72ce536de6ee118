using Microsoft.AspNetCore.Http;

namespace Fanout.Http;

/// <summary>Reads <c>status</c>, <c>group</c>, <c>task</c>, <c>offset</c> and <c>limit</c> from a query string, naming what is wrong.</summary>
internal static class ActionQueryParser
{
    public static bool TryParse(IQueryCollection query, out ActionQuery? result, out string? problem)
    {
        result = null;
        problem = null;

        ActionStatus? status = null;
        if (query.TryGetValue("status", out var statusText) && !string.IsNullOrEmpty(statusText))
        {
            if (!Enum.TryParse<ActionStatus>(statusText, ignoreCase: true, out var parsed) || int.TryParse(statusText, out _))
            {
                problem = $"status '{statusText}' is not one of: {string.Join(", ", Enum.GetNames<ActionStatus>())}";
                return false;
            }
            status = parsed;
        }

        if (!TryInt(query, "offset", 0, out var offset, ref problem) || !TryInt(query, "limit", 100, out var limit, ref problem))
            return false;

        var task = query["task"].FirstOrDefault();
        var candidate = new ActionQuery(status, query["group"].FirstOrDefault(), offset, limit, string.IsNullOrEmpty(task) ? null : task);
        try
        {
            candidate.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            problem = e.Message.Split(Environment.NewLine)[0];
            return false;
        }
        result = candidate;
        return true;
    }

    private static bool TryInt(IQueryCollection query, string name, int fallback, out int value, ref string? problem)
    {
        value = fallback;
        if (!query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text)) return true;
        if (int.TryParse(text, out value)) return true;
        problem = $"{name} '{text}' is not a whole number";
        return false;
    }
}
