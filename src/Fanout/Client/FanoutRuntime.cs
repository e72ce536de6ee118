using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Streams;
using Fanout.Http;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Runtime.Execution;
using Fanout.Runtime.Journals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout;

/// <summary>
/// A Fanout runtime in this process: an Akka.NET cluster node that runs actions, journals runs and
/// serves the HTTP API. <see cref="StartEmbeddedAsync"/> starts a cluster of one on a SQLite file — the
/// default that needs no set-up. Dispose it to leave the cluster and stop.
/// </summary>
public sealed class FanoutRuntime : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly RunClient _runs;
    private readonly RunApi? _api;
    private readonly ILogger _log;
    private readonly int _maxPayloadBytes;
    private int _disposed;

    private FanoutRuntime(ActorSystem system, RunClient runs, RunApi? api, ILogger log, int maxPayloadBytes)
    {
        _maxPayloadBytes = maxPayloadBytes;
        _system = system;
        _runs = runs;
        _api = api;
        _log = log;
    }

    /// <summary>The HTTP API's base address, or null when it is off.</summary>
    public Uri? BaseUrl => _api?.BaseUrl;

    /// <summary>The underlying actor system, for diagnostics and tests.</summary>
    public ActorSystem ActorSystem => _system;

    /// <summary>
    /// Starts an embedded runtime: a one-node Akka.NET cluster on 127.0.0.1 with Cluster Sharding, a
    /// SQLite journal and the HTTP API. Runs that were going when a previous process on the same
    /// journal stopped are resumed. Tasks defined as static fields in the entry assembly and in
    /// <see cref="FanoutRuntimeOptions.TaskAssemblies"/> are registered first, so resumed runs find them.
    /// </summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Stops waiting for the node to come up.</param>
    /// <exception cref="ArgumentException">A setting has a bad value; the message names it.</exception>
    public static async Task<FanoutRuntime> StartEmbeddedAsync(
        FanoutRuntimeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FanoutRuntimeOptions();
        options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var log = loggerFactory.CreateLogger<FanoutRuntime>();

        // Tasks must be known before remembered runs resume, which happens as soon as sharding starts.
        if (Assembly.GetEntryAssembly() is { } entry) TaskCatalog.LoadAssembly(entry);
        foreach (var assembly in options.TaskAssemblies) TaskCatalog.LoadAssembly(assembly);
        await using var journal = await JournalConnection.OpenAsync(options, cancellationToken).ConfigureAwait(false);

        var setup = BootstrapSetup.Create()
            .WithConfig(RuntimeConfig.Build(options, journal))
            .And(new LoggerFactorySetup(loggerFactory));
        var system = StartActorSystem(options, setup);
        try
        {
            await JoinSelfAsync(system, cancellationToken).ConfigureAwait(false);
            var runRegion = await StartShardingAsync(system, RuntimeSettings.From(options)).ConfigureAwait(false);
            var runs = new RunClient(runRegion);
            // Pays the journal's one-time costs (schema check, query compilation, the shard's
            // remember-entities store) here rather than in the first run: asking for a run that does
            // not exist allocates a shard, recovers an entity and passivates it again.
            await runs.GetSummaryAsync("warm-up", cancellationToken).ConfigureAwait(false);
            var api = options.HttpPort is { } httpPort
                ? await RunApi.StartAsync(runs, httpPort, options.LoggerFactory, cancellationToken).ConfigureAwait(false)
                : null;
            log.LogInformation("Fanout runtime up at {Address}; journal {Journal}; HTTP API {Api}",
                Cluster.Get(system).SelfAddress, journal.Description, api?.BaseUrl.ToString() ?? "off");
            return new FanoutRuntime(system, runs, api, log, options.MaxPayloadBytes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await system.Terminate().ConfigureAwait(false);
            if (e is IOException && options.HttpPort is { } httpPort)
                throw new FanoutException(
                    $"The HTTP API could not listen on 127.0.0.1:{httpPort} (FanoutRuntimeOptions.HttpPort): {e.Message}", e);
            throw;
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the actor system, turning its start-up failures into errors that name the setting at fault.</summary>
    private static ActorSystem StartActorSystem(FanoutRuntimeOptions options, ActorSystemSetup setup)
    {
        try
        {
            return ActorSystem.Create(options.SystemName, setup);
        }
        catch (Exception e)
        {
            var cause = Innermost(e);
            if (cause.Message.Contains("Failed to bind", StringComparison.OrdinalIgnoreCase) || cause is System.Net.Sockets.SocketException)
                throw new FanoutException(
                    $"The runtime could not listen on 127.0.0.1:{options.Port} for cluster traffic (FanoutRuntimeOptions.Port): " +
                    $"{cause.Message}. Is another process using the port? 0 picks a free one.", e);
            var hint = options.AkkaConfig is null ? "" : " Check FanoutRuntimeOptions.AkkaConfig, which is laid over Fanout's settings.";
            throw new FanoutException($"The runtime's actor system could not start: {cause.Message}.{hint}", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (true)
        {
            var next = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e.InnerException;
            if (next is null) return e;
            e = next;
        }
    }

    /// <summary>Starts a run of <paramref name="task"/> on <paramref name="input"/>; the task becomes the run's root action.</summary>
    /// <returns>A handle to wait for the run, inspect it or cancel it.</returns>
    /// <exception cref="PayloadTooLargeException">The input is larger than <see cref="FanoutRuntimeOptions.MaxPayloadBytes"/>.</exception>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public async Task<RunHandle<TOut>> RunAsync<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, TIn input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        // Registers the tasks defined beside this one, so children defined in other classes are known.
        if (task.DefiningAssembly is { } assembly) TaskCatalog.LoadAssembly(assembly);
        return await StartRunAsync<TOut>(task, PayloadJson.Serialize(input), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a run of the task named <paramref name="taskName"/> (<c>environment.task</c>) on a JSON
    /// input, for callers that know tasks by name (the CLI, HTTP clients).
    /// </summary>
    /// <exception cref="UnknownTaskException">No task of that name is defined here.</exception>
    /// <exception cref="InvalidTaskInputException">The JSON does not deserialize to the task's input type.</exception>
    public Task<RunHandle<JsonElement>> RunAsync(string taskName, string inputJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskName);
        ArgumentNullException.ThrowIfNull(inputJson);
        var task = TaskCatalog.Get(taskName);
        task.ValidateInputJson(inputJson);
        return StartRunAsync<JsonElement>(task, inputJson, cancellationToken);
    }

    /// <summary>A handle to a run started earlier (by this process or by one before it on the same journal).</summary>
    public RunHandle<TOut> GetRun<TOut>(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new RunHandle<TOut>(runId, RunUrl(runId), _runs);
    }

    private async Task<RunHandle<TOut>> StartRunAsync<TOut>(TaskDefinition task, string inputJson, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        PayloadLimit.Check(inputJson, _maxPayloadBytes, task.Name, "input");
        var runId = NewRunId();
        await _runs.StartAsync(runId, task.Name, inputJson, CallOptions.From(task.Options), ct).ConfigureAwait(false);
        _log.LogInformation("Run {RunId} of {Task} started", runId, task.Name);
        return new RunHandle<TOut>(runId, RunUrl(runId), _runs);
    }

    private Uri? RunUrl(string runId) => _api is null ? null : new Uri(_api.BaseUrl, $"runs/{runId}");

    /// <summary>Stops the HTTP API, leaves the cluster and stops the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_api is not null) await _api.DisposeAsync().ConfigureAwait(false);
        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        await _system.WhenTerminated.ConfigureAwait(false);
    }

    private static async Task JoinSelfAsync(ActorSystem system, CancellationToken ct)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
    }

    private static async Task<IActorRef> StartShardingAsync(ActorSystem system, RuntimeSettings settings)
    {
        var sharding = ClusterSharding.Get(system);
        var materializer = system.Materializer(namePrefix: "fanout");
        IActorRef? runRegion = null;

        // The executor exists before the run region, because remembered runs start with the region and
        // dispatch at once; it reaches runs only when an attempt ends, after the region has started.
        var executor = system.ActorOf(ActionExecutor.Props(() => runRegion!, settings, materializer), "fanout-executor");

        // Runs are remembered: a run that was going when its process stopped starts again with the region.
        runRegion = await sharding.StartAsync(
            ShardRegions.Runs,
            runId => Props.Create(() => new RunActor(runId, executor, settings)),
            ClusterShardingSettings.Create(system).WithRememberEntities(true),
            new ShardRegions.Extractor()).ConfigureAwait(false);
        return runRegion;
    }

    private static string NewRunId()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        Span<char> id = stackalloc char[11];
        id[0] = 'r';
        for (var i = 0; i < bytes.Length; i++) id[i + 1] = alphabet[bytes[i] % alphabet.Length];
        return new string(id);
    }
}
