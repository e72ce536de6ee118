using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Streams;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Runtime.Execution;
using Fanout.Runtime.Index;
using Fanout.Runtime.Journals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout;

/// <summary>
/// A Fanout runtime in this process: an Akka.NET cluster node that runs actions, journals runs and
/// serves the HTTP API. <see cref="StartEmbeddedAsync"/> starts a cluster of one on a SQLite file — the
/// default that needs no set-up. Dispose it to leave the cluster and stop.
/// </summary>
public sealed class FanoutRuntime : IAsyncDisposable, IFanoutClient
{
    private readonly ActorSystem _system;
    private readonly RunStarter _starter;
    private readonly RunsIndexStore _runsIndex;
    private readonly IRunningHttpApi? _api;
    private readonly bool _ownsSystem;
    private int _disposed;

    private FanoutRuntime(ActorSystem system, RunStarter starter, RunsIndexStore runsIndex, IRunningHttpApi? api, Uri? baseUrl, bool ownsSystem,
        IActorRef executorDirectory)
    {
        _system = system;
        _ownsSystem = ownsSystem;
        Executors = executorDirectory;
        _api = api;
        BaseUrl = baseUrl;
        _starter = starter;
        _runsIndex = runsIndex;
    }

    /// <summary>
    /// The HTTP API's base address (<see cref="FanoutRuntimeOptions.HttpPublicUrl"/> when set, else the address it
    /// listens on), or null when it is off. A browser opened at <c>{BaseUrl}ui/runs</c> shows the runs.
    /// </summary>
    public Uri? BaseUrl { get; }

    /// <summary>Where the HTTP API listens, whatever <see cref="FanoutRuntimeOptions.HttpPublicUrl"/> says; null when it is off.</summary>
    internal Uri? ListeningUrl => _api?.BaseUrl;

    /// <summary>The public URL, ending in a slash so relative run paths keep its path; else the address listened on.</summary>
    private static Uri PublicBaseUrl(FanoutRuntimeOptions options, Uri listening) => options.HttpPublicUrl is { } url
        ? new Uri(url.AbsoluteUri.EndsWith('/') ? url.AbsoluteUri : url.AbsoluteUri + "/")
        : listening;

    /// <summary>The HTTP API's routes ("METHOD /pattern"), for the specs that check each one is guarded.</summary>
    internal IReadOnlyList<string> HttpRoutes => _api?.Routes ?? [];

    /// <summary>The underlying actor system, for diagnostics and tests.</summary>
    public ActorSystem ActorSystem => _system;

    /// <summary>The node's executor directory (<see cref="Clustering.ExecutorDirectory"/>), which health checks ask about executors.</summary>
    internal IActorRef Executors { get; }

    /// <summary>The runs index in the journal database, which health checks probe.</summary>
    internal RunsIndexStore RunsIndex => _runsIndex;

    /// <summary>
    /// Starts a runtime node in this process. By default it is an embedded runtime: a one-node Akka.NET
    /// cluster on 127.0.0.1 with Cluster Sharding, a SQLite journal and the HTTP API. With
    /// <see cref="FanoutRuntimeOptions.Seeds"/> it is a worker joining that cluster instead (the
    /// <c>Fanout.Node</c> program is this, configured from the environment), usually with a PostgreSQL journal.
    /// Runs that were going when a previous process on the same journal stopped are resumed. Tasks defined
    /// as static fields in the entry assembly and in <see cref="FanoutRuntimeOptions.TaskAssemblies"/> are
    /// registered first, so resumed runs find them.
    /// </summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Stops waiting for the node to come up.</param>
    /// <exception cref="ArgumentException">A setting has a bad value; the message names it.</exception>
    /// <exception cref="FanoutException">A port is in use, the journal cannot be reached, or no seed node answered.</exception>
    public static async Task<FanoutRuntime> StartEmbeddedAsync(
        FanoutRuntimeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FanoutRuntimeOptions();
        options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;

        LoadTaskAssemblies(options);
        await using var journal = await JournalConnection.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        var runsIndex = await PrepareRunsIndexAsync(options, journal, cancellationToken).ConfigureAwait(false);

        var setup = RuntimeConfig.Setup(RuntimeConfig.Build(options, journal), new LoggerFactorySetup(loggerFactory), options.RemoteTls);
        Runtime.Execution.BlockingBodies.AllowFor(options.ActionSlots);
        var system = StartActorSystem(options, setup);
        try
        {
            return await StartNodeAsync(system, options, journal, runsIndex, ownsSystem: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The HOCON of a runtime node on an actor system Fanout does not create (Akka.Hosting's): the same as
    /// <see cref="StartEmbeddedAsync"/>'s, for a journal that <see cref="StartOnAsync"/> opens later.
    /// </summary>
    /// <exception cref="ArgumentException">A setting has a bad value; the message names it.</exception>
    internal static Akka.Configuration.Config HostedConfig(FanoutRuntimeOptions options)
    {
        options.Validate();
        return RuntimeConfig.Build(options, JournalConnection.Plan(options), hosted: true);
    }

    /// <summary>
    /// Starts a runtime node on <paramref name="system"/>, an actor system made with <see cref="HostedConfig"/> under the
    /// app's own settings. Disposing the runtime stops what Fanout started (the HTTP API), not the actor system: its owner stops it.
    /// </summary>
    /// <exception cref="FanoutException">The journal cannot be reached, no seed node answered, or the app's settings removed Fanout's cluster roles.</exception>
    internal static async Task<FanoutRuntime> StartOnAsync(ActorSystem system, FanoutRuntimeOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        RuntimeConfig.CheckHostedSystem(system, options.SystemName, nameof(FanoutRuntimeOptions), [FanoutRoles.Worker, FanoutRoles.Core]);
        LoadTaskAssemblies(options);
        await using var journal = await JournalConnection.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        var runsIndex = await PrepareRunsIndexAsync(options, journal, cancellationToken).ConfigureAwait(false);
        Runtime.Execution.BlockingBodies.AllowFor(options.ActionSlots);
        var runtime = await StartNodeAsync(system, options, journal, runsIndex, ownsSystem: false, cancellationToken).ConfigureAwait(false);
        // The app's host stops the actor system; the HTTP API stops with it (disposing stops only what Fanout started).
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "fanout-stop-http-api", async () =>
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            return Akka.Done.Instance;
        });
        return runtime;
    }

    // Tasks must be known before remembered runs resume, which happens as soon as sharding starts.
    private static void LoadTaskAssemblies(FanoutRuntimeOptions options)
    {
        if (Assembly.GetEntryAssembly() is { } entry) TaskCatalog.LoadAssembly(entry);
        foreach (var assembly in options.TaskAssemblies) TaskCatalog.LoadAssembly(assembly);
    }

    // Made (or, without CreateSchema, checked) while the journal's start-up lock is held, like the journal's own tables.
    private static async Task<RunsIndexStore> PrepareRunsIndexAsync(FanoutRuntimeOptions options, JournalConnection journal, CancellationToken ct)
    {
        var runsIndex = new RunsIndexStore(RunsIndexDatabase.For(journal));
        if (options.CreateSchema)
            await JournalSchema.CreateRunsIndexAsync(runsIndex, journal, ct).ConfigureAwait(false);
        else
            await JournalSchema.EnsureExistsAsync(runsIndex.Database, journal, ct).ConfigureAwait(false);
        return runsIndex;
    }

    /// <summary>What follows the actor system's creation: joining the cluster, the runs' sharding, the HTTP API.</summary>
    private static async Task<FanoutRuntime> StartNodeAsync(ActorSystem system, FanoutRuntimeOptions options, JournalConnection journal,
        RunsIndexStore runsIndex, bool ownsSystem, CancellationToken cancellationToken)
    {
        var log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FanoutRuntime>();
        try
        {
            var seeds = options.Seeds.Select(seed => ClusterAddresses.ParseSeed(seed, options.SystemName, nameof(options.Seeds), options.RemoteTls is not null)).ToList();
            await ClusterJoin.JoinAsync(system, seeds, options.JoinTimeout, "FanoutRuntimeOptions.Seeds", cancellationToken).ConfigureAwait(false);
            var indexWriter = system.ActorOf(RunsIndexWriter.Props(runsIndex), RunsIndexWriter.Name);
            system.ActorOf(RunsIndexReader.Props(runsIndex), RunsIndexReader.Name);
            var (runRegion, directory) = await StartShardingAsync(system, RuntimeSettings.From(options), indexWriter, hosted: !ownsSystem).ConfigureAwait(false);
            if (options.RunRetention is { } retention) system.ActorOf(RunPurgeSchedule.Props(runsIndex, retention), RunPurgeSchedule.Name);
            var runs = new RunClient(runRegion);
            IRunningHttpApi? api = null;
            Uri? baseUrl = null;
            var starter = new RunStarter(runs, runId => baseUrl is null ? null : new Uri(baseUrl, $"runs/{Uri.EscapeDataString(runId)}"),
                options.MaxPayloadBytes, log);
            // Pays the journal's one-time costs (schema check, query compilation, the shard's
            // remember-entities store) here rather than in the first run: asking for a run that does
            // not exist allocates a shard, recovers an entity and passivates it again.
            await runs.GetSummaryAsync("warm-up", cancellationToken).ConfigureAwait(false);
            // The server is in Fanout.Http, found by name: without it the runtime runs and says how to get it.
            api = options.HttpPort is not null && HttpApiPlugins.Find(options.HttpApiPluginType, log) is { } httpApi
                ? await httpApi.StartAsync(runs, starter, runsIndex, new ClusterInspector(system, directory), options, cancellationToken).ConfigureAwait(false)
                : null;
            baseUrl = api is null ? null : PublicBaseUrl(options, api.BaseUrl);
            log.LogInformation("Fanout runtime up at {Address}; journal {Journal}; HTTP API {Api}",
                Cluster.Get(system).SelfAddress, journal.Description, api is null ? "off" : $"{api.BaseUrl}{(baseUrl == api.BaseUrl ? "" : $" (public {baseUrl})")}");
            return new FanoutRuntime(system, starter, runsIndex, api, baseUrl, ownsSystem, directory);
        }
        catch (IOException e) when (options.HttpPort is { } httpPort)
        {
            throw new FanoutException(
                $"The HTTP API could not listen on {options.HttpHost}:{httpPort} (FanoutRuntimeOptions.HttpPort): {e.Message}", e);
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
                    $"The runtime could not listen on {options.Hostname}:{options.Port} for cluster traffic (FanoutRuntimeOptions.Port): " +
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
    public Task<RunHandle<TOut>> RunAsync<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, TIn input, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _starter.RunAsync(task, input, null, cancellationToken);
    }

    /// <summary>
    /// Starts a run of <paramref name="task"/> on <paramref name="input"/> as <paramref name="options"/> say;
    /// with <see cref="RunOptions.RunId"/> set, a start repeated with the same task and input returns the same run.
    /// </summary>
    /// <returns>A handle to wait for the run, inspect it or cancel it.</returns>
    /// <exception cref="ArgumentException"><see cref="RunOptions.RunId"/> breaks the rule for run ids (the message names it).</exception>
    /// <exception cref="RunIdConflictException">The run id already names a run of another task or input.</exception>
    /// <exception cref="TooManyRunsInFlightException">The node that would host the run already runs its MaxRunsInFlight; nothing was started.</exception>
    /// <exception cref="PayloadTooLargeException">The input is larger than <see cref="FanoutRuntimeOptions.MaxPayloadBytes"/>.</exception>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public Task<RunHandle<TOut>> RunAsync<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, TIn input, RunOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(options);
        return _starter.RunAsync(task, input, options, cancellationToken);
    }

    /// <summary>
    /// Starts a run of the task named <paramref name="taskName"/> (<c>environment.task</c>) on a JSON
    /// input, for callers that know tasks by name (the CLI, HTTP clients).
    /// </summary>
    /// <exception cref="UnknownTaskException">No task of that name is defined here.</exception>
    /// <exception cref="InvalidTaskInputException">The JSON does not deserialize to the task's input type.</exception>
    public Task<RunHandle<JsonElement>> RunAsync(string taskName, string inputJson, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _starter.RunAsync(taskName, inputJson, null, cancellationToken);
    }

    /// <summary>Starts a run of the task named <paramref name="taskName"/> on a JSON input as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException"><see cref="RunOptions.RunId"/> breaks the rule for run ids (the message names it).</exception>
    /// <exception cref="RunIdConflictException">The run id already names a run of another task or input.</exception>
    /// <exception cref="TooManyRunsInFlightException">The node that would host the run already runs its MaxRunsInFlight; nothing was started.</exception>
    /// <exception cref="UnknownTaskException">No task of that name is defined here.</exception>
    /// <exception cref="InvalidTaskInputException">The JSON does not deserialize to the task's input type.</exception>
    public Task<RunHandle<JsonElement>> RunAsync(
        string taskName, string inputJson, RunOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(options);
        return _starter.RunAsync(taskName, inputJson, options, cancellationToken);
    }

    /// <summary>A handle to a run started earlier (by this process or by one before it on the same journal).</summary>
    public RunHandle<TOut> GetRun<TOut>(string runId)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _starter.GetRun<TOut>(runId);
    }

    /// <summary>
    /// Lists runs from the runs index, newest started first, a page at a time: pass each page's
    /// <see cref="RunListPage.NextCursor"/> as the next query's <see cref="RunListQuery.Cursor"/>. A running run's
    /// counts are at most about a second old; purged runs are not listed.
    /// </summary>
    /// <param name="query">Filters and paging; null for the first 50 runs.</param>
    /// <param name="cancellationToken">Stops waiting for the database.</param>
    /// <exception cref="ArgumentException">A property of <paramref name="query"/> has a bad value (the message names it).</exception>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public Task<RunListPage> ListRunsAsync(RunListQuery? query = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _runsIndex.ListAsync(query ?? new RunListQuery(), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="FanoutException">No run with that id was ever started on this runtime's journal.</exception>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public Task<RunStatus> CancelRunAsync(string runId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _starter.CancelAsync(runId, reason, cancellationToken);
    }

    /// <summary>
    /// Purges every finished run that ended more than <paramref name="olderThan"/> ago: its journal rows, its snapshots
    /// and its runs-index entry. Its id then answers as purged (HTTP 404 with <c>"purged": true</c>). Running runs are never purged.
    /// </summary>
    /// <returns>The ids of the runs purged.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="olderThan"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public Task<IReadOnlyList<string>> PurgeRunsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (olderThan <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(olderThan), olderThan, "olderThan must be positive");
        return _runsIndex.PurgeAsync(DateTimeOffset.UtcNow - olderThan, cancellationToken);
    }

    /// <summary>
    /// Stops the HTTP API, leaves the cluster and stops the actor system. A runtime started on an app's actor system
    /// (Fanout.Hosting) stops only the HTTP API: the app stops its actor system.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_api is not null) await _api.DisposeAsync().ConfigureAwait(false);
        if (!_ownsSystem) return;
        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        await _system.WhenTerminated.ConfigureAwait(false);
    }

    private static async Task<(IActorRef RunRegion, IActorRef Directory)> StartShardingAsync(ActorSystem system, RuntimeSettings settings,
        IActorRef runsIndexWriter, bool hosted)
    {
        var sharding = ClusterSharding.Get(system);
        var materializer = system.Materializer(namePrefix: "fanout");
        IActorRef? runRegion = null;

        // The executor exists before the run region, because remembered runs start with the region and
        // dispatch at once; it reaches runs only when an attempt ends, after the region has started.
        var executor = system.ActorOf(ActionExecutor.Props(() => runRegion!, settings, materializer), ExecutorDirectory.ExecutorName);
        var directory = system.ActorOf(ExecutorDirectory.Props(), ExecutorDirectory.Name);
        system.ActorOf(Operations.GracefulLeave.Props(), Operations.GracefulLeave.Name);

        // A leaving node first hands its attempts to other nodes, then its runs (sharding's hand-off).
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "fanout-drain-executor", async () =>
        {
            await executor.Ask<ActionExecutor.Drained>(new ActionExecutor.Drain(settings.DrainTimeout),
                settings.DrainTimeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return Akka.Done.Instance;
        });

        // Runs are remembered: a run that was going when its process stopped starts again with the region.
        // A run is stopped (passivated, handed off) with StopRun, which it obeys once its writes are durable.
        var (journalPlugin, snapshotPlugin) = JournalHocon.PluginIds(system);
        var shardingSettings = RuntimeConfig.ShardingSettings(system, hosted).WithRememberEntities(true).WithRole(FanoutRoles.Worker)
            .WithJournalPluginId(journalPlugin).WithSnapshotPluginId(snapshotPlugin);
        runRegion = await sharding.StartAsync(
            ShardRegions.Runs,
            runId => Props.Create(() => new RunActor(runId, directory, settings, runsIndexWriter)),
            shardingSettings,
            new ShardRegions.Extractor(),
            ClusterSharding.Get(system).DefaultShardAllocationStrategy(shardingSettings),
            StopRun.Instance).ConfigureAwait(false);
        return (runRegion, directory);
    }
}
