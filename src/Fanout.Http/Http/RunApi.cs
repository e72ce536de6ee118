using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Clustering;
using Fanout.Dashboard;
using Fanout.Http.Health;
using Fanout.Http.Security;
using Fanout.Operations;
using Fanout.Runtime;
using Fanout.Runtime.Index;
using Fanout.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Http;

/// <summary>
/// The runtime's HTTP API (127.0.0.1 by default): a run's summary at <c>/runs/{id}</c> (which is
/// <see cref="RunHandle{TOut}.Url"/>, the run page for a browser) and its actions, paged and filtered, at
/// <c>/runs/{id}/actions</c>, the run pages under <c>/ui</c>, and the writes and operator routes. Hosted by
/// <see cref="DashboardHost"/>: requests pass, in order, the error catch-all, the token check, the body bound and the
/// start rate limit (README: "Securing the HTTP API").
/// </summary>
internal sealed class RunApi : IRunningHttpApi
{
    private readonly DashboardHost _host;

    private RunApi(DashboardHost host) => _host = host;

    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Every route as "METHOD /pattern", for the specs that check that each one is guarded.</summary>
    public IReadOnlyList<string> Routes => _host.Routes;

    public static async Task<RunApi> StartAsync(RunClient runs, RunStarter starter, RunsIndexStore runsIndex, ClusterInspector cluster,
        FanoutRuntimeOptions options, CancellationToken ct)
    {
        var views = new LiveRunViews(runs, runsIndex, cluster);
        var loggerFactory = options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var host = await DashboardHost.StartAsync(views, options,
            configure: builder =>
            {
                if (options.StartRateLimitPerSecond > 0) StartRateLimit.Add(builder.Services, options.StartRateLimitPerSecond);
            },
            mapMore: (app, _) =>
            {
                var journalProbe = new JournalProbe(runsIndex.Database, loggerFactory.CreateLogger<JournalProbe>());
                HealthApi.Map(app, new Readiness(cluster.System, cluster.Directory, journalProbe));
                MapCancel(app, runs, views);
                RunListApi.MapPurge(app, runsIndex);
                var start = MapStartRun(app, starter);
                if (options.StartRateLimitPerSecond > 0) start.RequireRateLimiting(StartRateLimit.Policy);
                app.MapGet("/cluster", async (CancellationToken ct) => Results.Ok(await cluster.GetAsync(ct)));
                OperatorApi.Map(app, cluster);
            }, ct).ConfigureAwait(false);
        return new RunApi(host);
    }

    /// <summary>
    /// The JSON read routes, through <paramref name="views"/> (a live node's or a journal's). An id the runs index does
    /// not know is answered from the index: asking the run would start its entity. <c>GET /runs/{id}</c> from a browser
    /// (an <c>Accept</c> that prefers HTML) is the run page itself, so <see cref="RunHandle{TOut}.Url"/> opens it.
    /// </summary>
    internal static void MapReads(WebApplication app, IRunViews views)
    {
        app.MapGet("/tasks", () => Results.Ok(views.TaskNames));
        RunListApi.MapList(app, views);

        app.MapGet("/runs/{runId}", async (string runId, HttpContext http, CancellationToken ct) =>
        {
            if (BrowserRequest.PrefersHtml(http.Request)) return await RunPages.RunAsync(http, views, runId, ct);
            if (await RunListApi.NotFoundUnlessRunAsync(views, runId, ct) is { } notFound) return notFound;
            var summary = await views.GetSummaryAsync(runId, ct);
            return summary is null ? RunNotFound(runId) : Results.Ok(StackTraces.For(http, summary));
        });

        app.MapGet("/runs/{runId}/actions", async (string runId, HttpRequest request, CancellationToken ct) =>
        {
            if (ActionQueryParser.TryParse(request.Query, out var query, out var problem) is false)
                return Results.BadRequest(new { error = problem });
            if (await RunListApi.NotFoundUnlessRunAsync(views, runId, ct) is { } notFound) return notFound;
            var page = await views.ListActionsAsync(runId, query!, ct);
            return page is null ? RunNotFound(runId) : Results.Ok(StackTraces.For(request.HttpContext, page));
        });
        ActionApi.Map(app, views);
    }

    private static void MapCancel(WebApplication app, RunClient runs, IRunViews views) =>
        app.MapPost("/runs/{runId}/cancel", async (string runId, CancellationToken ct) =>
        {
            if (await RunListApi.NotFoundUnlessRunAsync(views, runId, ct) is { } notFound) return notFound;
            var outcome = await runs.CancelAsync(runId, "cancelled through the HTTP API", ct);
            return outcome.Exists ? Results.Ok(new { runId, status = outcome.Status }) : RunNotFound(runId);
        });

    /// <summary>
    /// <c>POST /runs</c> with <c>{"task": "env.task", "input": ..., "id": "optional-run-id"}</c> starts a run of a
    /// task this node knows: 201 with its id and URL, 400 naming what is wrong with the request, 404 for an unknown
    /// task. With an id, the request is idempotent: repeated with the same task and input it answers 201 with
    /// the same run again (nothing more is started); with another task or input, 409 naming what the run holds.
    /// </summary>
    private static RouteHandlerBuilder MapStartRun(WebApplication app, RunStarter starter)
    {
        return app.MapPost("/runs", async (HttpRequest request, CancellationToken ct) =>
        {
            JsonDocument body;
            try
            {
                body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            }
            catch (JsonException e)
            {
                return Results.BadRequest(new { error = $"the body is not JSON: {e.Message}" });
            }
            using (body)
            {
                if (!StartRunRequest.TryParse(body.RootElement, out var start, out var problem))
                    return Results.BadRequest(new { error = problem });
                try
                {
                    var run = await starter.RunAsync(start!.Task, start.InputJson, start.Options, ct);
                    return Results.Created(run.Url?.ToString() ?? $"/runs/{run.Id}", new { runId = run.Id, url = run.Url });
                }
                catch (UnknownTaskException e)
                {
                    return Results.NotFound(new { error = e.Message });
                }
                catch (RunIdConflictException e)
                {
                    return Results.Conflict(new { error = e.Message, runId = e.RunId });
                }
                catch (TooManyRunsInFlightException e)
                {
                    // The node is full, not the request wrong: nothing was started, so the same request may come again.
                    request.HttpContext.Response.Headers.RetryAfter = "5";
                    return Results.Json(new { error = e.Message, setting = "MaxRunsInFlight", runId = e.RunId },
                        statusCode: StatusCodes.Status503ServiceUnavailable);
                }
                catch (Exception e) when (e is InvalidTaskInputException or PayloadTooLargeException)
                {
                    return Results.BadRequest(new { error = e.Message });
                }
            }
        });
    }

    private static IResult RunNotFound(string runId) => RunListApi.NoRun(runId);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
