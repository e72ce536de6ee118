using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Fanout.Clustering;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// One run: a persistent, sharded, remembered entity that owns the run's ledger. What the run decides (a
/// start, a parent's calls, an attempt's report, a retry, a cancel) is <see cref="RunCore"/>'s, as plain
/// code; this actor carries the decisions out (<see cref="IRunEffects"/>): it journals, sends and schedules.
/// A run that was going when its process died is started again by remember-entities; it then runs its root
/// again, and the root finds its finished children by their deterministic ids instead of running them again.
///
/// Writes are group-committed: facts are applied to memory at once and queued, and one journal row
/// (<see cref="LedgerBatch"/>) carries everything queued while the previous write was in flight. Side
/// effects that depend on a fact (dispatching an action, answering a parent) wait until it is durable
/// (RunActor.GroupCommit.cs). Snapshots keep recovery of a large run short (RunActor.Snapshots.cs).
/// Nothing it sends is trusted to arrive: attempts, reports and children's outcomes are acknowledged or
/// leased and sent again (RunActor.Delivery.cs); a failed or rejected journal write is answered and retried
/// (RunActor.JournalFailures.cs); a run that recovers re-attaches to attempts still running
/// (RunActor.Reattach.cs); and it stops, when sharding says so, only once its writes are durable
/// (<see cref="StopRun"/>).
/// </summary>
internal sealed partial class RunActor : ReceivePersistentActor, IWithTimers, IRunEffects
{
    private static readonly TimeSpan WaiterSweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForgetIfUnaskedDelay = TimeSpan.FromMilliseconds(250);
    // Also how soon an action waiting for room on a full node tries again (load readings come every 250 ms at most).
    private static readonly TimeSpan PlacementCheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly RunCore _core;
    private readonly IActorRef _directory;
    private readonly RuntimeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly List<LedgerEntry> _unwritten = [];
    private WriteEffects _afterWrite = new();
    private bool _writing;
    private readonly Dictionary<(IActorRef Executor, string ParentId), List<ChildOutcome>> _outbox = new();
    private readonly Dictionary<IActorRef, List<ExecuteAction>> _dispatches = new();
    private readonly List<(IActorRef Waiter, DateTime Deadline)> _runWaiters = [];
    private readonly HashSet<IActorRef> _watchedExecutors = [];
    private readonly Diagnostics.RunTraceContexts _traces = new();
    private bool _askedSinceRecovery;
    private bool _stopping;

    private long _entriesSinceSnapshot;
    private long _entriesReplayed;
    private bool _snapshotting;

    // The directory says which executors in the cluster may take attempts (RunCore.Placement.cs).
    public RunActor(string runId, IActorRef directory, RuntimeSettings settings) : this(runId, directory, settings, index: null)
    {
    }

    // index: the node's runs index writer (RunActor.Index.cs); null (actor specs) writes no index.
    public RunActor(string runId, IActorRef directory, RuntimeSettings settings, IActorRef? index)
    {
        // Fanout's own plugins, so an app's persistence on the same actor system is untouched (Fanout.Hosting).
        (JournalPluginId, SnapshotPluginId) = Journals.JournalHocon.PluginIds(Context.System);
        _index = index;
        _core = new RunCore(new RunState(runId), settings, this, NowMs);
        _directory = directory;
        _settings = settings;

        Recover<SnapshotOffer>(offer => _core.RecoverFrom(RunState.FromStored(runId, offer.Snapshot)));
        Recover<LedgerBatch>(batch =>
        {
            foreach (var entry in batch.Entries) State.Apply(entry);
            _entriesReplayed += batch.Entries.Count;
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Commands();
    }

    /// <summary>The run's journaled state (its decisions are <see cref="RunCore"/>'s).</summary>
    private RunState State => _core.State;

    /// <summary>The run's usual behaviour (it leaves it only to re-attach after recovery: RunActor.Reattach.cs).</summary>
    private void Commands()
    {
        Command<StartRun>(m => Asked(m, start =>
        {
            if (!AdmitStart(start)) return;
            _callerChosenId ??= start.CallerChosenId;
            if (!State.Exists) _traces.Remember(start.RunId, start.Trace);
            var conflict = _core.Start(start);
            // Answered once the run's index row is durable too: an answered start is always found (RunActor.Index.cs).
            ReplyAfterWrite(Sender, () => new RunAccepted(State.RunId, conflict), IndexThenReply);
            Flush();
        }));
        Command<StartChildren>(m => Asked(m, start =>
        {
            foreach (var call in start.Calls)
                if (call.Trace is not null && State.Find(call.ActionId) is null) _traces.Remember(call.ActionId, call.Trace);
            _core.Call(start.ParentId, start.Calls, start.ReplyTo);
            // The parent's pipeline sends its next batch when this one is journaled: a parent making a million
            // calls at once cannot pile them up here faster than the journal takes them.
            var count = start.Calls.Count;
            ReplyAfterWrite(Sender, () => new ChildrenAccepted(count));
            Flush();
        }));
        Command<AttemptFinished>(m =>
        {
            OnReport(m);
            AcknowledgeAfterWrite(Sender, [m]);
            Flush();
        });
        Command<AttemptsFinished>(OnAttemptsFinished);
        Command<AttemptsHeld>(m =>
        {
            OnHeld(m.Attempts, Sender);
            Flush();
        });
        Command<ChildResultsReceived>(m => OnOutcomesReceived(m, Sender));
        Command<DeliveryCheck>(_ => CheckDelivery());
        Command<RetryDue>(due =>
        {
            _core.RetryDue(due.ActionId, due.AfterAttempt);
            Flush();
        });
        Command<ExecutorsChanged>(changed =>
        {
            _core.OnExecutorsChanged(changed.Executors);
            Flush();
        });
        Command<Terminated>(terminated => OnExecutorLost(terminated.ActorRef));
        Command<CheckPlacement>(_ =>
        {
            _core.FailUnplacedPastTimeout();
            Flush();
        });
        Command<CancelRun>(m => Asked(m, cancel =>
        {
            if (_core.Cancel(cancel.Reason)) _log.Info("Run {0} cancelled: {1}", State.RunId, cancel.Reason);
            ReplyAfterWrite(Sender, Outcome);
            Flush();
        }));
        Command<GetRunSummary>(m => Asked(m, _ => ReplyThenForgetIfUnknown(
            new RunSummaryReply(State.Exists ? State.ToSummary() with { WaitingFor = _core.DescribeUnplaced() } : null)
            {
                GroupTree = State.Exists && m.WithGroupTree == true ? State.ToGroupTree() : null,
            })));
        Command<ListActions>(m => Asked(m, _ => ReplyThenForgetIfUnknown(new ActionPageReply(State.Exists ? State.Query(m.Query) : null))));
        Command<GetActionDetail>(m => Asked(m, _ => ReplyThenForgetIfUnknown(
            new ActionDetailReply(State.Exists, State.Exists ? State.Detail(m.ActionId) : null))));
        Command<AwaitRun>(m => Asked(m, Handle));
        Command<SweepWaiters>(_ => SweepRunWaiters());
        Command<ForgetIfUnasked>(_ =>
        {
            // Started meanwhile (a recovered empty run that a start reached): it is a run now.
            if (State.Exists && !State.IsFinished) return;
            if (_askedSinceRecovery) SetReceiveTimeout(_settings.RecoveredFinishedRunIdleTimeout);
            else Passivate();
        });
        Command<ReceiveTimeout>(_ => Passivate());
        Command<StopRun>(_ => StopOnceWritten());
        Command<IndexDue>(_ => IndexNow());
        Command<GetRecoveryStats>(_ => Sender.Tell(new RecoveryStats(_entriesReplayed, _core.InFlight, _core.Queued)));
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(failure =>
        {
            _snapshotting = false;
            _log.Warning("Run {0} could not save a snapshot (it recovers from the journal instead): {1}",
                State.RunId, failure.Cause.Message);
        });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failure =>
            _log.Warning("Run {0} could not delete journal entries a snapshot covers: {1}", State.RunId, failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure =>
            _log.Warning("Run {0} could not delete its older snapshots: {1}", State.RunId, failure.Cause.Message));
        JournalFailureCommands();
    }

    public override string PersistenceId => $"run-{State.RunId}";

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        base.PreStart();
        _directory.Tell(new SubscribeExecutors(Self));
    }

    private void OnRecovered()
    {
        // The entries after the snapshot count toward the next one, as if written by this incarnation.
        _entriesSinceSnapshot = _entriesReplayed;
        if (!State.Exists)
        {
            // Nothing journaled: a message about an unknown id started it (it answers, then passivates), or
            // remember-entities restarted a run that was purged since. Unasked, it must not stay remembered.
            Timers.StartSingleTimer("forget-if-unasked", ForgetIfUnasked.Instance, ForgetIfUnaskedDelay);
            return;
        }
        _endDurable = State.IsFinished;
        if (!State.IsFinished) CountResumed();
        // Moved, restarted or asked after passivating: its row may be missing (journaled before the index
        // existed) or older than its facts.
        IndexNow();
        if (_entriesReplayed > 0 || State.ActionCount > 1)
            _log.Debug("Run {0} recovered {1} action(s), replaying {2} journal entries", State.RunId, State.ActionCount, _entriesReplayed);
        if (State.IsFinished)
        {
            // Either a message started it (the shard delivered it with the start, so it is handled within
            // moments) or remember-entities restarted it because its process stopped before it
            // passivated. Unasked, it passivates right away, which also forgets it; asked, soon after.
            Timers.StartSingleTimer("forget-if-unasked", ForgetIfUnasked.Instance, ForgetIfUnaskedDelay);
            return;
        }

        if (State.Root!.IsFinished)
        {
            // The root's outcome was journaled but the process stopped before the run's end was: end it now.
            _core.Resume();
            Flush();
            return;
        }

        // The process that ran this run stopped before the run ended, or the run moved to this node. First
        // find attempts still running on live executors (RunActor.Reattach.cs), then run the root again.
        BeginReattach();
    }

    private void Resume()
    {
        _log.Info("Run {0} resumed from its journal with {1} action(s) recorded", State.RunId, State.ActionCount);
        _core.Resume();
        Flush();
    }

    private void OnAttemptsFinished(AttemptsFinished finished)
    {
        // An executor that is leaving hands attempts back: the next ones go elsewhere, even before its
        // directory says so. The executor is the sender (sharding keeps it).
        if (finished.Draining) _core.Avoid(Sender);
        _core.OnReportsFrom(Sender, finished);
        foreach (var attempt in finished.Attempts) OnReport(attempt);
        AcknowledgeAfterWrite(Sender, finished.Attempts);
        Flush();
    }

    /// <summary>An attempt's report: the attempt is no longer outstanding once the run took it.</summary>
    private void OnReport(AttemptFinished report)
    {
        if (_core.OnAttemptFinished(report)) _outstanding.Remove(report.ActionId);
    }

    /// <summary>The executor died (its node was downed, or its process stopped): its attempts start elsewhere.</summary>
    private void OnExecutorLost(IActorRef executor)
    {
        if (!_watchedExecutors.Remove(executor)) return;
        ForgetDeliveriesTo(executor);
        var lost = _core.OnExecutorLost(executor);
        if (lost > 0)
            _log.Warning("Run {0}: executor {1} is gone with {2} attempt(s) of this run; they start again on other nodes",
                State.RunId, executor.Path, lost);
        Flush();
    }

    private void Asked<T>(T message, Action<T> handle)
    {
        _askedSinceRecovery = true;
        handle(message);
    }

    private void Handle(AwaitRun wait)
    {
        if (!State.Exists || State.IsFinished)
        {
            ReplyThenForgetIfUnknown(Outcome());
            return;
        }
        _runWaiters.Add((Sender, DateTime.UtcNow + TimeSpan.FromMilliseconds(wait.MaxWaitMs)));
        if (!Timers.IsTimerActive("sweep-waiters"))
            Timers.StartPeriodicTimer("sweep-waiters", SweepWaiters.Instance, WaiterSweepInterval);
    }

    private void OnRunEnded()
    {
        _log.Info("Run {0} {1} with {2} action(s)", State.RunId, State.Status, State.ActionCount);
        Uncount();
        var outcome = Outcome();
        foreach (var (waiter, _) in _runWaiters) waiter.Tell(outcome);
        _runWaiters.Clear();
        Timers.Cancel("sweep-waiters");
        StopDelivery();
        _endDurable = true;
        IndexNow();
        SetReceiveTimeout(_settings.FinishedRunIdleTimeout);
    }

    private RunOutcome Outcome()
    {
        var root = State.Root;
        return new RunOutcome(State.RunId, State.Status, root?.ResultJson, root?.Error, root?.Id, root?.TaskName,
            root?.Attempts ?? 0, State.Exists);
    }

    private void SweepRunWaiters()
    {
        var now = DateTime.UtcNow;
        for (var i = _runWaiters.Count - 1; i >= 0; i--)
        {
            if (_runWaiters[i].Deadline > now) continue;
            _runWaiters[i].Waiter.Tell(new RunStillGoing(State.RunId));
            _runWaiters.RemoveAt(i);
        }
        if (_runWaiters.Count == 0) Timers.Cancel("sweep-waiters");
    }

    private void ReplyThenForgetIfUnknown(object reply)
    {
        Sender.Tell(reply);
        // A query for a run that never started must not leave an empty entity remembered.
        if (!State.Exists) Passivate();
    }

    private void Passivate() => Context.Parent.Tell(new Passivate(StopRun.Instance));

    /// <summary>
    /// Stops once every write in flight or queued is durable (see <see cref="StopRun"/>). Meanwhile it takes
    /// no more commands: what it drops is sent again (reports, leases, calls) or asked again by its senders,
    /// and reaches the run's next incarnation.
    /// </summary>
    private void StopOnceWritten()
    {
        _stopping = true;
        Become(() =>
        {
            JournalFailureCommands(); // a rejected write is still written again
            CommandAny(_ => { });
        });
        StopIfWritten();
    }

    private void StopIfWritten()
    {
        if (_stopping && NothingToWait && _afterWrite.IsEmpty) Context.Stop(Self);
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private sealed record RetryDue(string ActionId, int AfterAttempt) : INoSerializationVerificationNeeded;

    private sealed class CheckPlacement : INoSerializationVerificationNeeded
    {
        public static readonly CheckPlacement Instance = new();
    }

    private sealed class SweepWaiters : INoSerializationVerificationNeeded
    {
        public static readonly SweepWaiters Instance = new();
    }

    private sealed class ForgetIfUnasked : INoSerializationVerificationNeeded
    {
        public static readonly ForgetIfUnasked Instance = new();
    }
}
