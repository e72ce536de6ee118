using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Clustering;
using Fanout.Runtime;
using Fanout.Runtime.Index;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Http;

/// <summary>
/// The runtime's HTTP JSON API on 127.0.0.1: a run's summary at <c>/runs/{id}</c> (which is
/// <see cref="RunHandle{TOut}.Url"/>) and its actions, paged and filtered, at <c>/runs/{id}/actions</c>.
/// </summary>
internal sealed class RunApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunApi(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<RunApi> StartAsync(RunClient runs, RunStarter starter, RunsIndexStore runsIndex, ClusterInspector cluster, string host, int port,
        ILoggerFactory? loggerFactory, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null) builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Parse(host), port));
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });

        var app = builder.Build();
        // A run that does not answer (its journal is down, its node restarting) is a temporary condition.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (RunDidNotAnswerException e) when (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new { error = e.Message }, context.RequestAborted).ConfigureAwait(false);
            }
        });
        Map(app, runs, runsIndex);
        RunListApi.Map(app, runsIndex);
        MapStartRun(app, starter);
        app.MapGet("/cluster", async (CancellationToken ct) => Results.Ok(await cluster.GetAsync(ct)));
        OperatorApi.Map(app, cluster);
        await app.StartAsync(ct).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunApi(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    // An id the runs index does not know is answered from the index: asking the run would start its entity.
    private static void Map(WebApplication app, RunClient runs, RunsIndexStore index)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/tasks", () => Results.Ok(TaskCatalog.Names.Order(StringComparer.Ordinal)));

        app.MapGet("/runs/{runId}", async (string runId, CancellationToken ct) =>
        {
            if (await RunListApi.NotFoundUnlessRunAsync(index, runId, ct) is { } notFound) return notFound;
            var summary = await runs.GetSummaryAsync(runId, ct);
            return summary is null ? RunNotFound(runId) : Results.Ok(summary);
        });

        app.MapGet("/runs/{runId}/actions", async (string runId, HttpRequest request, CancellationToken ct) =>
        {
            if (ActionQueryParser.TryParse(request.Query, out var query, out var problem) is false)
                return Results.BadRequest(new { error = problem });
            if (await RunListApi.NotFoundUnlessRunAsync(index, runId, ct) is { } notFound) return notFound;
            var page = await runs.ListActionsAsync(runId, query!, ct);
            return page is null ? RunNotFound(runId) : Results.Ok(page);
        });

        app.MapPost("/runs/{runId}/cancel", async (string runId, CancellationToken ct) =>
        {
            if (await RunListApi.NotFoundUnlessRunAsync(index, runId, ct) is { } notFound) return notFound;
            var outcome = await runs.CancelAsync(runId, "cancelled through the HTTP API", ct);
            return outcome.Exists ? Results.Ok(new { runId, status = outcome.Status }) : RunNotFound(runId);
        });
    }

    /// <summary>
    /// <c>POST /runs</c> with <c>{"task": "env.task", "input": ..., "id": "optional-run-id"}</c> starts a run of a
    /// task this node knows: 201 with its id and URL, 400 naming what is wrong with the request, 404 for an unknown
    /// task. With an id, the request is idempotent: repeated with the same task and input it answers 201 with
    /// the same run again (nothing more is started); with another task or input, 409 naming what the run holds.
    /// </summary>
    private static void MapStartRun(WebApplication app, RunStarter starter)
    {
        app.MapPost("/runs", async (HttpRequest request, CancellationToken ct) =>
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
