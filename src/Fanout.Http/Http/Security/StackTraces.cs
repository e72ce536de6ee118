using Microsoft.AspNetCore.Http;

namespace Fanout.Http.Security;

/// <summary>Takes task stack traces out of answers for callers who may not see them (<see cref="ApiCallers.MaySeeStackTraces"/>).</summary>
internal static class StackTraces
{
    public static RunSummary For(HttpContext http, RunSummary summary) =>
        ApiCallers.MaySeeStackTraces(http) || summary.Error is null ? summary : summary with { Error = Strip(summary.Error) };

    public static ActionPage For(HttpContext http, ActionPage page) =>
        ApiCallers.MaySeeStackTraces(http)
            ? page
            : page with { Actions = page.Actions.Select(a => a.Error is null ? a : a with { Error = Strip(a.Error) }).ToList() };

    public static ActionDetail For(HttpContext http, ActionDetail detail) =>
        ApiCallers.MaySeeStackTraces(http)
            ? detail
            : detail with
            {
                Action = detail.Action.Error is null ? detail.Action : detail.Action with { Error = Strip(detail.Action.Error) },
                Attempts = detail.Attempts.Select(a => a.Error is null ? a : a with { Error = Strip(a.Error) }).ToList(),
            };

    private static ActionError Strip(ActionError error) => error with { StackTrace = null };
}
