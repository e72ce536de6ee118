using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Clustering;
using Fanout.Http.Health;
using Fanout.Http.Security;
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
/// The runtime's HTTP JSON API (127.0.0.1 by default): a run's summary at <c>/runs/{id}</c> (which is
/// <see cref="RunHandle{TOut}.Url"/>) and its actions, paged and filtered, at <c>/runs/{id}/actions</c>. Requests pass,
/// in order: the error catch-all, the bearer-token check, the body bound and the start rate limit (README: "Securing
/// the HTTP API").
/// </summary>
internal sealed class RunApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;

    private RunApi(WebApplication app, Uri baseUrl, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        _app = app;
        BaseUrl = baseUrl;
        _certificate = certificate;
    }

    public Uri BaseUrl { get; }

    /// <summary>Every route as "METHOD /pattern", for the specs that check that each one is guarded.</summary>
    public IReadOnlyList<string> Routes => ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)_app).DataSources
        .SelectMany(source => source.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
        .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
            .Select(method => $"{method} {e.RoutePattern.RawText}"))
        .ToList();

    public static async Task<RunApi> StartAsync(RunClient runs, RunStarter starter, RunsIndexStore runsIndex, ClusterInspector cluster,
        FanoutRuntimeOptions options, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var loggerFactory = options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        builder.Services.AddSingleton(loggerFactory);
        var bodyLimit = BodyLimit.For(options);
        var certificate = options.HttpsCertificatePath is null ? null : HttpsCertificate.Load(options);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = bodyLimit;
            // Kestrel's defaults, stated: a request line (path and query) of 8 KiB, 32 KiB of headers, 100 of them.
            // Answered 414/431 by Kestrel before a route sees them.
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 100;
            kestrel.Listen(System.Net.IPAddress.Parse(options.HttpHost), options.HttpPort!.Value, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        if (options.StartRateLimitPerSecond > 0) StartRateLimit.Add(builder.Services, options.StartRateLimitPerSecond);

        var app = builder.Build();
        ApiErrors.Use(app, loggerFactory.CreateLogger<RunApi>());
        new ApiAuthentication(options).Use(app);
        BodyLimit.Use(app, bodyLimit);
        if (options.StartRateLimitPerSecond > 0) app.UseRateLimiter();
        var journalProbe = new JournalProbe(runsIndex.Database, loggerFactory.CreateLogger<JournalProbe>());
        HealthApi.Map(app, new Readiness(cluster.System, cluster.Directory, journalProbe));
        Map(app, runs, runsIndex);
        RunListApi.Map(app, runsIndex);
        var start = MapStartRun(app, starter);
        if (options.StartRateLimitPerSecond > 0) start.RequireRateLimiting(StartRateLimit.Policy);
        app.MapGet("/cluster", async (CancellationToken ct) => Results.Ok(await cluster.GetAsync(ct)));
        OperatorApi.Map(app, cluster);
        await app.StartAsync(ct).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunApi(app, new Uri(address.EndsWith('/') ? address : address + "/"), certificate);
    }

    // An id the runs index does not know is answered from the index: asking the run would start its entity.
    private static void Map(WebApplication app, RunClient runs, RunsIndexStore index)
    {
        app.MapGet("/tasks", () => Results.Ok(TaskCatalog.Names.Order(StringComparer.Ordinal)));

        app.MapGet("/runs/{runId}", async (string runId, HttpContext http, CancellationToken ct) =>
        {
            if (await RunListApi.NotFoundUnlessRunAsync(index, runId, ct) is { } notFound) return notFound;
            var summary = await runs.GetSummaryAsync(runId, ct);
            return summary is null ? RunNotFound(runId) : Results.Ok(StackTraces.For(http, summary));
        });

        app.MapGet("/runs/{runId}/actions", async (string runId, HttpRequest request, CancellationToken ct) =>
        {
            if (ActionQueryParser.TryParse(request.Query, out var query, out var problem) is false)
                return Results.BadRequest(new { error = problem });
            if (await RunListApi.NotFoundUnlessRunAsync(index, runId, ct) is { } notFound) return notFound;
            var page = await runs.ListActionsAsync(runId, query!, ct);
            return page is null ? RunNotFound(runId) : Results.Ok(StackTraces.For(request.HttpContext, page));
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
    }
}
