using System.Text.Json;
using Fanout.Runtime.Index;
using Fanout.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http;

/// <summary>
/// The routes of the runs index: <c>GET /runs</c> (a page of runs, newest first), <c>POST /runs/purge</c>, and the
/// check that lets <c>/runs/{id}</c> answer 404 for an id that names no run without starting the run's entity.
/// A database that cannot be read is answered 503 by <see cref="Security.ApiErrors"/>, without the database's own words.
/// </summary>
internal static class RunListApi
{
    /// <summary><c>GET /runs</c>, read through the host's views (a live node's index or a journal's).</summary>
    public static void MapList(WebApplication app, IRunViews views) =>
        app.MapGet("/runs", async (HttpRequest request, CancellationToken ct) =>
        {
            if (!RunListQueryParser.TryParse(request.Query, out var query, out var problem))
                return Results.BadRequest(new { error = problem });
            return Results.Ok(await views.ListRunsAsync(query!, ct));
        });

    /// <summary><c>POST /runs/purge</c>, on a live node only.</summary>
    public static void MapPurge(WebApplication app, RunsIndexStore index)
    {
        // {"olderThan": "7.00:00:00"} (or "7d", "12h", "30m"): finished runs that ended longer ago than that.
        app.MapPost("/runs/purge", async (HttpRequest request, CancellationToken ct) =>
        {
            var (age, problem) = await ReadOlderThanAsync(request, ct);
            if (age is not { } olderThan) return Results.BadRequest(new { error = problem });
            var runIds = await index.PurgeAsync(DateTimeOffset.UtcNow - olderThan, ct);
            return Results.Ok(new { purged = runIds.Count, runIds });
        });
    }

    /// <summary>
    /// The 404 for an id that names no run (or a purged one), read from the index, or null when the run exists. A
    /// run's start is answered only once its index entry is durable, so an id missing there was never started
    /// by any start that was answered.
    /// </summary>
    public static async Task<IResult?> NotFoundUnlessRunAsync(IRunViews views, string runId, CancellationToken ct)
    {
        if (RunIds.Problem(runId) is not null) return NoRun(runId);
        return await views.FindAsync(runId, ct) switch
        {
            RunPresence.Unknown => NoRun(runId),
            RunPresence.Purged => Results.NotFound(new { error = $"run '{runId}' was purged", purged = true }),
            _ => null,
        };
    }

    public static IResult NoRun(string runId) => Results.NotFound(new { error = $"no run with id '{runId}'" });

    private static async Task<(TimeSpan? OlderThan, string? Problem)> ReadOlderThanAsync(HttpRequest request, CancellationToken ct)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not JSON: {e.Message}");
        }
        using (body)
        {
            if (body.RootElement.ValueKind != JsonValueKind.Object
                || !body.RootElement.TryGetProperty("olderThan", out var olderThan) || olderThan.ValueKind != JsonValueKind.String)
                return (null, "the body must be {\"olderThan\": \"7d\"} (an age: 7d, 12h, 30m or a TimeSpan such as 7.00:00:00)");
            return AgeText.TryParse(olderThan.GetString(), out var age, out var problem) ? (age, null) : (null, $"olderThan {problem}");
        }
    }
}
