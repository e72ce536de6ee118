using Fanout.Http.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http;

/// <summary>
/// The probes, which need no token: <c>/health/live</c> (the process answers HTTP; <c>/health</c> is its older
/// name) and <c>/health/ready</c> (200 when <see cref="Readiness"/> finds nothing wrong, else 503 naming what is).
/// </summary>
internal static class HealthApi
{
    private const string Live = "/health/live";
    private const string Ready = "/health/ready";
    private const string Alias = "/health";

    public static bool IsProbe(PathString path) =>
        path.Equals(Live, StringComparison.OrdinalIgnoreCase) || path.Equals(Ready, StringComparison.OrdinalIgnoreCase)
                                                               || path.Equals(Alias, StringComparison.OrdinalIgnoreCase);

    public static void Map(WebApplication app, Readiness readiness)
    {
        app.MapGet(Alias, () => Results.Ok(new { status = "ok" }));
        app.MapGet(Live, () => Results.Ok(new { status = "ok" }));
        app.MapGet(Ready, async (CancellationToken ct) =>
        {
            var problems = await readiness.ProblemsAsync(ct);
            return problems.Count == 0
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "not ready", error = "not ready: " + string.Join("; ", problems), problems },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
