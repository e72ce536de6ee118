using Akka.Actor;
using Akka.Configuration;
using Fanout.Clustering;
using Fanout.Operations;
using Fanout.Runtime;
using Fanout.Runtime.Index;
using Fanout.Runtime.Journals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Views.Journal;

/// <summary>
/// The run pages' views of a journal with no runtime running (<c>fanout ui --db</c>): the runs list and an id's presence
/// from the runs index table, a run's summary, actions and action detail from its state recovered out of the journal
/// (<see cref="RunRecovery"/>), so they are what the live node showed. Read-only in every sense: its connections cannot
/// write (<see cref="JournalLocation"/>), nothing creates tables, and no run is started, resumed or failed.
/// </summary>
internal sealed class JournalRunViews : IRunViews, IAsyncDisposable
{
    /// <summary>The actions the cache of recovered runs holds at most, in all (about 1-2 GB at a few hundred bytes each).</summary>
    public const long DefaultMaxCachedActions = 4_000_000;

    /// <summary>How soon a run still going (in the journal's eyes) is read again when asked.</summary>
    public static readonly TimeSpan DefaultRefreshUnfinishedAfter = TimeSpan.FromSeconds(2);

    private readonly ActorSystem _system;
    private readonly RunsIndexStore? _index;

    private JournalRunViews(JournalLocation location, ActorSystem system, RunsIndexStore? index, RunJournalPosition position,
        long maxCachedActions, TimeSpan refreshUnfinishedAfter)
    {
        Location = location;
        _system = system;
        _index = index;
        Runs = new RecoveredRuns(Recover, position.ReadAsync, maxCachedActions, refreshUnfinishedAfter);
    }

    /// <summary>Recovers the run; the task ends with its state as the journal holds it now.</summary>
    private Task<RunState> Recover(string runId)
    {
        var recovered = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
        _system.ActorOf(Props.Create(() => new RunRecovery(runId, recovered)));
        return recovered.Task;
    }

    /// <summary>Where the journal is.</summary>
    public JournalLocation Location { get; }

    /// <summary>The recovered runs (the specs look at how often a run was recovered).</summary>
    internal RecoveredRuns Runs { get; }

    /// <summary>Views of the journal at <paramref name="location"/>; dispose to stop the actor system that reads it.</summary>
    public static async Task<JournalRunViews> OpenAsync(JournalLocation location, ILoggerFactory? loggerFactory, CancellationToken ct,
        long maxCachedActions = DefaultMaxCachedActions, TimeSpan? refreshUnfinishedAfter = null)
    {
        var index = await location.HasRunsIndexAsync(ct).ConfigureAwait(false) ? new RunsIndexStore(location.Database) : null;
        var position = await RunJournalPosition.ForAsync(location.Database, ct).ConfigureAwait(false);
        var setup = BootstrapSetup.Create().WithConfig(Config(location.Journal))
            .And(new LoggerFactorySetup(loggerFactory ?? NullLoggerFactory.Instance));
        var system = ActorSystem.Create("fanout-journal-viewer", setup);
        return new JournalRunViews(location, system, index, position, maxCachedActions, refreshUnfinishedAfter ?? DefaultRefreshUnfinishedAfter);
    }

    // The runtime's own journal settings (JournalHocon), with table creation off, and Fanout's serializer for its events.
    private static Config Config(JournalConnection journal) =>
        ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = OFF
              loggers = ["Fanout.Runtime.AkkaLoggerBridge, Fanout"]
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor {
                serializers.fanout = "Fanout.Protocol.FanoutSerializer, Fanout"
                serialization-bindings { "Fanout.Protocol.IFanoutMessage, Fanout" = fanout }
                serialization-identifiers { "Fanout.Protocol.FanoutSerializer, Fanout" = {{Fanout.Protocol.FanoutSerializer.Id}} }
              }
              # A million-action run's snapshot is read and decoded before its recovery goes on.
              persistence.journal-plugin-fallback.recovery-event-timeout = 120s
            }
            """)
            .WithFallback(JournalHocon.Build(journal, createTables: false))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);

    public bool ReadOnly => true;

    public IReadOnlyList<string> TaskNames => [];

    public async Task<RunPresence> FindAsync(string runId, CancellationToken ct)
    {
        if (_index is not null) return await _index.FindAsync(runId, ct).ConfigureAwait(false);
        return (await Runs.GetAsync(runId, ct).ConfigureAwait(false)).Exists ? RunPresence.Journaled : RunPresence.Unknown;
    }

    public Task<RunListPage> ListRunsAsync(RunListQuery query, CancellationToken ct)
    {
        if (_index is not null) return _index.ListAsync(query, ct);
        query.Validate();
        return Task.FromResult(new RunListPage([], null));
    }

    public async Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken ct) =>
        await Runs.GetAsync(runId, ct).ConfigureAwait(false) is { Exists: true } state ? state.ToSummary() : null;

    public async Task<RunPageView?> GetRunPageAsync(string runId, CancellationToken ct) =>
        await Runs.GetAsync(runId, ct).ConfigureAwait(false) is { Exists: true } state ? new(state.ToSummary(), state.ToGroupTree()) : null;

    public async Task<ActionPage?> ListActionsAsync(string runId, ActionQuery query, CancellationToken ct)
    {
        query.Validate();
        return await Runs.GetAsync(runId, ct).ConfigureAwait(false) is { Exists: true } state ? state.Query(query) : null;
    }

    public async Task<ActionLookup?> GetActionAsync(string runId, string actionId, CancellationToken ct) =>
        await Runs.GetAsync(runId, ct).ConfigureAwait(false) is { Exists: true } state ? new ActionLookup(state.Detail(actionId)) : null;

    public Task<ClusterView?> GetClusterAsync(CancellationToken ct) => Task.FromResult<ClusterView?>(null);

    public Task<ExecutorsView?> GetExecutorsAsync(CancellationToken ct) => Task.FromResult<ExecutorsView?>(null);

    public async ValueTask DisposeAsync() => await _system.Terminate().ConfigureAwait(false);
}
