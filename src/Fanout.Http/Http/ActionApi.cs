using Fanout.Http.Security;
using Fanout.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http;

/// <summary>
/// <c>GET /runs/{runId}/action?id=&lt;actionId&gt;</c>: one action in full (its record, each attempt with node, times
/// and outcome, input and result previews), as JSON. The id travels in the query string: action ids hold <c>/</c>
/// and <c>#</c>. 404 with a JSON error for an unknown run or action, 400 without an id.
/// </summary>
internal static class ActionApi
{
    public static void Map(WebApplication app, IRunViews views) =>
        app.MapGet("/runs/{runId}/action", async (string runId, HttpRequest request, CancellationToken ct) =>
        {
            var actionId = request.Query["id"].FirstOrDefault();
            if (string.IsNullOrEmpty(actionId)) return Results.BadRequest(new { error = "id (the action's id) is required: ?id=<actionId>" });
            if (await RunListApi.NotFoundUnlessRunAsync(views, runId, ct) is { } notFound) return notFound;
            return await views.GetActionAsync(runId, actionId, ct) switch
            {
                null => RunListApi.NoRun(runId),
                { Detail: null } => Results.NotFound(new { error = $"run '{runId}' has no action with id '{actionId}'" }),
                { Detail: { } detail } => Results.Ok(StackTraces.For(request.HttpContext, detail)),
            };
        });
}
