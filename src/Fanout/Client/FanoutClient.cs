using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster.Sharding;
using Fanout.Clustering;
using Fanout.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout;

/// <summary>
/// An app's connection to a Fanout cluster. The app becomes a client member of the cluster: it starts
/// runs and reads them, with the same <see cref="RunHandle{TOut}"/> as the embedded runtime, while the
/// worker nodes (<c>Fanout.Node</c>) run the actions; none is ever placed on the client. Task
/// definitions are shared as an assembly the app references and the workers load. Dispose it to leave.
/// </summary>
public sealed class FanoutClient : IAsyncDisposable, IFanoutClient
{
    private readonly ActorSystem _system;
    private readonly RunStarter _starter;
    private readonly ClientMembership _membership;
    private readonly RunListClient _runList;
    private bool _ownsSystem = true;
    private int _disposed;

    private FanoutClient(ActorSystem system, RunStarter starter, ClientMembership membership)
    {
        _system = system;
        _starter = starter;
        _membership = membership;
        _runList = new RunListClient(system);
    }

    /// <summary>The underlying actor system, for diagnostics and tests.</summary>
    public ActorSystem ActorSystem => _system;

    /// <summary>
    /// Fires when the cluster has removed this client (it downs a member it could not hear from for several
    /// seconds, or one on the losing side of a split) or its actor system stopped; not when it is disposed.
    /// From then on its calls and its run handles' calls throw <see cref="ClientRemovedException"/>, and an
    /// error is logged. The runs go on: connect again with <see cref="ConnectAsync(FanoutClientOptions, CancellationToken)"/>
    /// and reach them by id with <see cref="GetRun{TOut}"/>. A removed member cannot rejoin with the same actor
    /// system, and a start in flight at the removal may or may not have started its run, so the client does
    /// not reconnect behind the app's back.
    /// </summary>
    public CancellationToken Removed => _membership.Removed;

    /// <summary>Connects to the cluster whose seed nodes are <paramref name="seeds"/> (<c>akka.tcp://fanout@host:4053</c>), with default settings.</summary>
    /// <exception cref="ArgumentException">A seed address is malformed; the message names it.</exception>
    /// <exception cref="FanoutException">No seed node answered in time.</exception>
    public static Task<FanoutClient> ConnectAsync(params string[] seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var options = new FanoutClientOptions();
        foreach (var seed in seeds) options.Seeds.Add(seed);
        return ConnectAsync(options);
    }

    /// <summary>Joins the cluster as a client member and waits until it is up in it.</summary>
    /// <exception cref="ArgumentException">A setting has a bad value; the message names it.</exception>
    /// <exception cref="FanoutException">The port is in use, or no seed node answered within <see cref="FanoutClientOptions.JoinTimeout"/>.</exception>
    public static async Task<FanoutClient> ConnectAsync(FanoutClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var log = loggerFactory.CreateLogger<FanoutClient>();
        var seeds = options.Seeds.Select(seed => ClusterAddresses.ParseSeed(seed, options.SystemName, nameof(options.Seeds), options.RemoteTls is not null)).ToList();

        var setup = RuntimeConfig.Setup(RuntimeConfig.BuildClient(options), new LoggerFactorySetup(loggerFactory), options.RemoteTls);
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(options.SystemName, setup);
        }
        catch (Exception e)
        {
            throw new FanoutException(
                $"The client could not listen on {options.Hostname}:{options.Port} for cluster traffic (FanoutClientOptions.Port): " +
                $"{e.GetBaseException().Message}", e);
        }

        try
        {
            return await StartMemberAsync(system, options, seeds, log, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The HOCON of a client member on an actor system Fanout does not create (Akka.Hosting's), as <see cref="ConnectAsync(FanoutClientOptions, CancellationToken)"/> builds it.</summary>
    /// <exception cref="ArgumentException">A setting has a bad value; the message names it.</exception>
    internal static Akka.Configuration.Config HostedConfig(FanoutClientOptions options)
    {
        options.Validate();
        return RuntimeConfig.BuildClient(options, hosted: true);
    }

    /// <summary>
    /// Joins the cluster as a client member on <paramref name="system"/>, an actor system made with <see cref="HostedConfig"/>
    /// under the app's own settings. The app stops its actor system; disposing the client does not.
    /// </summary>
    /// <exception cref="FanoutException">No seed node answered, or the app's settings removed Fanout's client role.</exception>
    internal static async Task<FanoutClient> StartOnAsync(ActorSystem system, FanoutClientOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        RuntimeConfig.CheckHostedSystem(system, options.SystemName, nameof(FanoutClientOptions), [FanoutRoles.Client]);
        var log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FanoutClient>();
        var seeds = options.Seeds.Select(seed => ClusterAddresses.ParseSeed(seed, options.SystemName, nameof(options.Seeds), options.RemoteTls is not null)).ToList();
        var client = await StartMemberAsync(system, options, seeds, log, cancellationToken).ConfigureAwait(false);
        client._ownsSystem = false;
        // The app's host stopping its actor system is a leave, not a removal by the cluster.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "fanout-client-leaving", () =>
        {
            client._membership.Leaving();
            return Task.FromResult(Akka.Done.Instance);
        });
        return client;
    }

    private static async Task<FanoutClient> StartMemberAsync(ActorSystem system, FanoutClientOptions options, IReadOnlyList<Akka.Actor.Address> seeds,
        ILogger log, CancellationToken cancellationToken)
    {
        await ClusterJoin.JoinAsync(system, seeds, options.JoinTimeout, "FanoutClientOptions.Seeds", cancellationToken).ConfigureAwait(false);
        // Runs live on the workers; the client reaches them through a proxy of the run region.
        var runRegion = await ClusterSharding.Get(system)
            .StartProxyAsync(ShardRegions.Runs, FanoutRoles.Worker, new ShardRegions.Extractor()).ConfigureAwait(false);
        var membership = ClientMembership.Watch(system, log);
        var runs = new RunClient(runRegion, membership: membership);
        var dashboard = options.DashboardUrl;
        var starter = new RunStarter(runs, runId => dashboard is null ? null : new Uri(dashboard, $"runs/{runId}"),
            options.MaxPayloadBytes, log);
        log.LogInformation("Fanout client up at {Address}", Akka.Cluster.Cluster.Get(system).SelfAddress);
        return new FanoutClient(system, starter, membership);
    }

    /// <summary>Starts a run of <paramref name="task"/> on <paramref name="input"/> in the cluster.</summary>
    /// <returns>A handle to wait for the run, inspect it or cancel it.</returns>
    /// <exception cref="PayloadTooLargeException">The input is larger than <see cref="FanoutClientOptions.MaxPayloadBytes"/>.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<RunHandle<TOut>> RunAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _starter.RunAsync(task, input, null, cancellationToken);
    }

    /// <summary>
    /// Starts a run of <paramref name="task"/> on <paramref name="input"/> in the cluster as <paramref name="options"/> say;
    /// with <see cref="RunOptions.RunId"/> set, a start repeated with the same task and input returns the same run.
    /// </summary>
    /// <returns>A handle to wait for the run, inspect it or cancel it.</returns>
    /// <exception cref="ArgumentException"><see cref="RunOptions.RunId"/> breaks the rule for run ids (the message names it).</exception>
    /// <exception cref="RunIdConflictException">The run id already names a run of another task or input.</exception>
    /// <exception cref="TooManyRunsInFlightException">The node that would host the run already runs its MaxRunsInFlight; nothing was started.</exception>
    /// <exception cref="PayloadTooLargeException">The input is larger than <see cref="FanoutClientOptions.MaxPayloadBytes"/>.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<RunHandle<TOut>> RunAsync<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, TIn input, RunOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(options);
        return _starter.RunAsync(task, input, options, cancellationToken);
    }

    /// <summary>Starts a run of the task named <paramref name="taskName"/> on a JSON input.</summary>
    /// <exception cref="UnknownTaskException">No task of that name is defined in this process.</exception>
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
    /// <exception cref="UnknownTaskException">No task of that name is defined in this process.</exception>
    /// <exception cref="InvalidTaskInputException">The JSON does not deserialize to the task's input type.</exception>
    public Task<RunHandle<JsonElement>> RunAsync(
        string taskName, string inputJson, RunOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(options);
        return _starter.RunAsync(taskName, inputJson, options, cancellationToken);
    }

    /// <summary>A handle to a run started earlier, by this client or anyone else.</summary>
    public RunHandle<TOut> GetRun<TOut>(string runId)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _starter.GetRun<TOut>(runId);
    }

    /// <summary>
    /// Lists runs from the runs index, newest started first, a page at a time: pass each page's
    /// <see cref="RunListPage.NextCursor"/> as the next query's <see cref="RunListQuery.Cursor"/>. The client has no
    /// database of its own: it asks a worker node of the cluster, which reads the runs index in the journal database
    /// the workers share (a worker that does not answer within a few seconds is skipped for the next one).
    /// </summary>
    /// <param name="query">Filters and paging; null for the first 50 runs.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <exception cref="ArgumentException">A property of <paramref name="query"/> has a bad value (the message names it).</exception>
    /// <exception cref="FanoutException">No worker node answered.</exception>
    /// <exception cref="ClientRemovedException">The cluster removed this client.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<RunListPage> ListRunsAsync(RunListQuery? query = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var checkedQuery = query ?? new RunListQuery();
        checkedQuery.Validate();
        return _membership.CallAsync(ct => _runList.ListAsync(checkedQuery, ct), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="FanoutException">No run with that id was ever started on the cluster's journal.</exception>
    /// <exception cref="ClientRemovedException">The cluster removed this client.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<RunStatus> CancelRunAsync(string runId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _starter.CancelAsync(runId, reason, cancellationToken);
    }

    /// <summary>
    /// Leaves the cluster and stops the client's actor system. A client started on an app's actor system (Fanout.Hosting)
    /// leaves with it when the app stops it, not before.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _membership.Leaving();
        if (!_ownsSystem) return;
        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        await _system.WhenTerminated.ConfigureAwait(false);
    }
}
