using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Fanout.Clustering;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// One run: a persistent, sharded, remembered entity that owns the run's ledger. It starts the root
/// action, starts children when parents call them, journals every start, attempt and outcome, retries
/// failed attempts with backoff, and answers queries. A run that was going when its process died is
/// started again by remember-entities; it then runs its root again, and the root finds its finished
/// children by their deterministic ids instead of running them again.
///
/// Writes are group-committed: facts are applied to memory at once and queued, and one journal row
/// (<see cref="LedgerBatch"/>) carries everything queued while the previous write was in flight. Side
/// effects that depend on a fact (dispatching an action, answering a parent) wait until it is durable
/// (RunActor.GroupCommit.cs). Snapshots keep recovery of a large run short (RunActor.Snapshots.cs).
/// Nothing it sends is trusted to arrive: attempts, reports and children's outcomes are acknowledged or
/// leased and sent again (RunActor.Delivery.cs); a failed or rejected journal write is answered and retried
/// (RunActor.JournalFailures.cs); and it stops, when sharding says so, only once its writes are durable
/// (<see cref="StopRun"/>).
///
/// At most <see cref="RuntimeSettings.MaxInFlightPerRun"/> attempts are out on executors at once; calls
/// beyond that are journaled as queued and dispatched as attempts end. A parent stops counting once it
/// calls its first child, or parents waiting on queued children would hold every place.
/// </summary>
internal sealed partial class RunActor : ReceivePersistentActor, IWithTimers
{
    private static readonly TimeSpan WaiterSweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForgetIfUnaskedDelay = TimeSpan.FromMilliseconds(250);

    private RunState _state;
    private readonly IActorRef _directory;
    private readonly RuntimeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly List<LedgerEntry> _unwritten = [];
    private WriteEffects _afterWrite = new();
    private bool _writing;
    private readonly Dictionary<(IActorRef Executor, string ParentId), List<ChildOutcome>> _outbox = new();
    private readonly Dictionary<IActorRef, List<ExecuteAction>> _dispatches = new();
    private readonly List<(IActorRef Waiter, DateTime Deadline)> _runWaiters = [];
    private bool _askedSinceRecovery;
    private bool _stopping;

    // The in-flight limit: attempts dispatched and not ended (parents waiting for children not counted),
    // and the actions waiting for room, oldest first.
    private int _inFlight;
    private readonly Queue<ActionRecord> _pending = new();

    private long _entriesSinceSnapshot;
    private long _entriesReplayed;
    private bool _snapshotting;

    // The directory says which executors in the cluster may take attempts (RunActor.Placement.cs).
    public RunActor(string runId, IActorRef directory, RuntimeSettings settings)
    {
        _state = new RunState(runId);
        _directory = directory;
        _settings = settings;

        Recover<SnapshotOffer>(offer => _state = RunState.FromSnapshot(offer.Snapshot switch
        {
            RunSnapshot snapshot => snapshot,
            // A snapshot store that keeps objects instead of bytes (the in-memory one) hands back what was saved.
            EncodedRunSnapshot encoded => RunSnapshotCodec.Read(encoded.Bytes),
            var other => throw new InvalidOperationException($"Run {runId} cannot recover from a snapshot of type {other.GetType()}"),
        }));
        Recover<LedgerBatch>(batch =>
        {
            foreach (var entry in batch.Entries) _state.Apply(entry);
            _entriesReplayed += batch.Entries.Count;
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Commands();
    }

    /// <summary>The run's usual behaviour (it leaves it only to re-attach after recovery: RunActor.Reattach.cs).</summary>
    private void Commands()
    {
        Command<StartRun>(m => Asked(m, Handle));
        Command<StartChildren>(m => Asked(m, Handle));
        Command<AttemptFinished>(m =>
        {
            Handle(m);
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
        Command<RetryDue>(Handle);
        Command<ExecutorsChanged>(OnExecutorsChanged);
        Command<Terminated>(terminated => OnExecutorLost(terminated.ActorRef));
        Command<CheckPlacement>(_ => FailUnplacedPastTimeout());
        Command<CancelRun>(m => Asked(m, Handle));
        Command<GetRunSummary>(m => Asked(m, _ => ReplyThenForgetIfUnknown(
            new RunSummaryReply(_state.Exists ? _state.ToSummary() with { WaitingFor = DescribeUnplaced() } : null))));
        Command<ListActions>(m => Asked(m, _ => ReplyThenForgetIfUnknown(new ActionPageReply(_state.Exists ? _state.Query(m.Query) : null))));
        Command<AwaitRun>(m => Asked(m, Handle));
        Command<SweepWaiters>(_ => SweepRunWaiters());
        Command<ForgetIfUnasked>(_ =>
        {
            if (_askedSinceRecovery) SetReceiveTimeout(_settings.RecoveredFinishedRunIdleTimeout);
            else Passivate();
        });
        Command<ReceiveTimeout>(_ => Passivate());
        Command<StopRun>(_ => StopOnceWritten());
        Command<GetRecoveryStats>(_ => Sender.Tell(new RecoveryStats(_entriesReplayed, _inFlight, _pending.Count)));
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(failure =>
        {
            _snapshotting = false;
            _log.Warning("Run {0} could not save a snapshot (it recovers from the journal instead): {1}",
                _state.RunId, failure.Cause.Message);
        });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failure =>
            _log.Warning("Run {0} could not delete journal entries a snapshot covers: {1}", _state.RunId, failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure =>
            _log.Warning("Run {0} could not delete its older snapshots: {1}", _state.RunId, failure.Cause.Message));
        JournalFailureCommands();
    }

    public override string PersistenceId => $"run-{_state.RunId}";

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
        if (!_state.Exists) return;
        if (_entriesReplayed > 0 || _state.ActionCount > 1)
            _log.Debug("Run {0} recovered {1} action(s), replaying {2} journal entries", _state.RunId, _state.ActionCount, _entriesReplayed);
        if (_state.IsFinished)
        {
            // Either a message started it (the shard delivered it with the start, so it is handled within
            // moments) or remember-entities restarted it because its process stopped before it
            // passivated. Unasked, it passivates right away, which also forgets it; asked, soon after.
            Timers.StartSingleTimer("forget-if-unasked", ForgetIfUnasked.Instance, ForgetIfUnaskedDelay);
            return;
        }

        var root = _state.Root!;
        if (root.IsFinished)
        {
            // The root's outcome was journaled but the process stopped before the run's end was: end it now.
            OnActionEnded(root);
            Flush();
            return;
        }

        // The process that ran this run stopped before the run ended, or the run moved to this node. First
        // find attempts still running on live executors (RunActor.Reattach.cs), then run the root again.
        BeginReattach();
    }

    /// <summary>
    /// Runs the root again: it re-issues its calls, finished children answer from the journal, running
    /// ones that were re-attached answer when they end, lost and queued ones start another attempt.
    /// </summary>
    private void Resume()
    {
        var root = _state.Root!;
        _log.Info("Run {0} resumed from its journal with {1} action(s) recorded", _state.RunId, _state.ActionCount);
        if (!root.DispatchedHere) StartNextAttempt(root);
        Flush();
    }

    private void OnAttemptsFinished(AttemptsFinished finished)
    {
        // An executor that is leaving hands attempts back: the next ones go elsewhere, even before its
        // directory says so. The executor is the sender (sharding keeps it).
        if (finished.Draining) AvoidExecutor(Sender);
        ExecutorReported(Sender, finished);
        foreach (var attempt in finished.Attempts) Handle(attempt);
        AcknowledgeAfterWrite(Sender, finished.Attempts);
        Flush();
    }

    private void Asked<T>(T message, Action<T> handle)
    {
        _askedSinceRecovery = true;
        handle(message);
    }

    private void Handle(StartRun start)
    {
        if (!_state.Exists)
        {
            Record(new LedgerEntry(LedgerEntryKind.RunStarted, NowMs()) { TaskName = start.TaskName });
            var executor = Place(start.Options.Role);
            Record(new LedgerEntry(LedgerEntryKind.ActionRequested, NowMs())
            {
                ActionId = _state.RunId, TaskName = start.TaskName, InputJson = start.InputJson, Options = start.Options,
                Attempt = executor is null ? 0 : 1,
            });
            var root = _state.Root!;
            root.DispatchedHere = true;
            if (executor is null) Park(root);
            else Send(root, executor);
        }
        // A run id names one run: a start of another task or input under it is refused with what the run
        // holds, never answered as if it had started what was asked.
        var conflict = _state.Root is { } existing
                       && (existing.TaskName != start.TaskName || !JsonEquivalence.Same(existing.InputJson, start.InputJson))
            ? new RunStartedWith(existing.TaskName, existing.InputJson)
            : null;
        ReplyAfterWrite(Sender, () => new RunAccepted(_state.RunId, conflict));
        Flush();
    }

    private void Handle(StartChildren start)
    {
        // A parent that calls children mostly waits from now on: it gives its place under the limit back.
        if (_state.Find(start.ParentId) is { HoldsInFlightSlot: true } parent) ReleaseInFlightSlot(parent);

        foreach (var call in start.Calls)
        {
            if (!_state.Exists || _state.IsFinished)
            {
                Enqueue(start.ReplyTo, start.ParentId, new ChildOutcome(call.ActionId, call.TaskName, OutcomeKind.Cancelled, null, null, 0));
                continue;
            }

            var action = _state.Find(call.ActionId);
            if (action is null)
            {
                Request(call, start.ParentId, start.ReplyTo);
            }
            else if (action.TaskName != call.TaskName || action.InputJson != call.InputJson)
            {
                var (replyTo, parentId, mismatch) = (start.ReplyTo, start.ParentId, NonDeterministicCall(action, call));
                AfterWrite(() => Enqueue(replyTo, parentId, mismatch));
            }
            else if (action.IsFinished)
            {
                var (replyTo, parentId) = (start.ReplyTo, start.ParentId);
                AfterWrite(() => Enqueue(replyTo, parentId, action.ToOutcome()));
            }
            else
            {
                action.AddWaiter(start.ReplyTo);
                // Running, queued or waiting for a retry under this incarnation: the outcome will come.
                // Recovered unfinished: its attempt (or its retry timer) died with the process, so start the next one.
                if (!action.DispatchedHere) StartNextAttempt(action);
            }
        }

        // The parent's pipeline sends its next batch when this one is journaled: a parent making a million
        // calls at once cannot pile them up here faster than the journal takes them.
        var count = start.Calls.Count;
        ReplyAfterWrite(Sender, () => new ChildrenAccepted(count));
        Flush();
    }

    /// <summary>
    /// Journals a new call; it starts in the same entry when the run has room and a node may run it, else
    /// it queues for room or waits for a node.
    /// </summary>
    private void Request(ChildCall call, string parentId, IActorRef replyTo)
    {
        var hasRoom = _inFlight < _settings.MaxInFlightPerRun;
        var executor = hasRoom ? Place(call.Options.Role) : null;
        Record(new LedgerEntry(LedgerEntryKind.ActionRequested, NowMs())
        {
            ActionId = call.ActionId, ParentId = parentId, TaskName = call.TaskName, Group = call.Group,
            InputJson = call.InputJson, Options = call.Options, Attempt = executor is null ? 0 : 1,
        });
        var action = _state.Find(call.ActionId)!;
        action.AddWaiter(replyTo);
        action.DispatchedHere = true;
        if (executor is not null) Send(action, executor);
        else if (hasRoom) Park(action);
        else Queue(action);
    }

    /// <summary>Decides what follows an ended attempt. The caller flushes.</summary>
    private void Handle(AttemptFinished finished)
    {
        var action = _state.Find(finished.ActionId);
        if (action is null || action.IsFinished || _state.IsFinished || finished.Attempt != action.Attempts) return;
        _outstanding.Remove(action.Id);
        ReleaseInFlightSlot(action);

        switch (finished.Kind)
        {
            case OutcomeKind.Interrupted:
                // Handed back by its node (a drain, an executor restart): not the task's fault and not lost,
                // so it uses up neither its retries nor the allowance for lost attempts.
                Record(new LedgerEntry(LedgerEntryKind.AttemptInterrupted, NowMs())
                {
                    ActionId = action.Id, Attempt = finished.Attempt, Error = finished.Error,
                });
                StartNextAttempt(action);
                break;
            case OutcomeKind.Succeeded:
                Record(new LedgerEntry(LedgerEntryKind.ActionSucceeded, NowMs())
                {
                    ActionId = action.Id, ResultJson = finished.ResultJson,
                });
                AfterWriteEnded(action);
                break;
            case OutcomeKind.Failed when finished.Retryable && action.FailedAttempts < action.Options.Retries:
                Record(new LedgerEntry(LedgerEntryKind.AttemptFailed, NowMs())
                {
                    ActionId = action.Id, Attempt = finished.Attempt, Error = finished.Error,
                });
                var attempt = finished.Attempt;
                var backoff = action.Options.BackoffBefore(attempt + 1);
                AfterWrite(() => Timers.StartSingleTimer($"retry:{action.Id}", new RetryDue(action.Id, attempt), backoff));
                break;
            default:
                Record(new LedgerEntry(LedgerEntryKind.ActionFailed, NowMs())
                {
                    ActionId = action.Id, Attempt = finished.Attempt, Error = finished.Error,
                });
                AfterWriteEnded(action);
                break;
        }
    }

    private void Handle(RetryDue due)
    {
        var action = _state.Find(due.ActionId);
        if (action is null || _state.IsFinished || action.Status != ActionStatus.Retrying || action.Attempts != due.AfterAttempt)
            return;
        StartNextAttempt(action);
        Flush();
    }

    private void Handle(CancelRun cancel)
    {
        if (_state.Exists && !_state.IsFinished)
        {
            _log.Info("Run {0} cancelled: {1}", _state.RunId, cancel.Reason);
            CancelUnfinished(cancel.Reason);
            Record(new LedgerEntry(LedgerEntryKind.RunFinished, NowMs()) { RunStatus = RunStatus.Cancelled });
            AfterWrite(OnRunEnded);
        }
        ReplyAfterWrite(Sender, Outcome);
        Flush();
    }

    private void Handle(AwaitRun wait)
    {
        if (!_state.Exists || _state.IsFinished)
        {
            ReplyThenForgetIfUnknown(Outcome());
            return;
        }
        _runWaiters.Add((Sender, DateTime.UtcNow + TimeSpan.FromMilliseconds(wait.MaxWaitMs)));
        if (!Timers.IsTimerActive("sweep-waiters"))
            Timers.StartPeriodicTimer("sweep-waiters", SweepWaiters.Instance, WaiterSweepInterval);
    }

    // ---- attempts and the in-flight limit -----------------------------------------------------

    /// <summary>Starts the action's next attempt when the run has room, or queues it for room.</summary>
    private void StartNextAttempt(ActionRecord action)
    {
        if (action.IsFinished) return;

        // Attempts that started and never reported back were lost with their node (or process).
        var lost = action.UnreportedAttempts;
        if (lost > _settings.LostAttemptRetries)
        {
            Record(new LedgerEntry(LedgerEntryKind.ActionFailed, NowMs())
            {
                ActionId = action.Id,
                Error = new ErrorInfo("Fanout.AttemptLostException",
                    $"{lost} attempt(s) of this action never reported back (the node running it stopped); " +
                    $"the runtime allows {_settings.LostAttemptRetries} such loss(es)", null),
            });
            AfterWriteEnded(action);
            return;
        }

        action.DispatchedHere = true;
        // The root always starts: every other action waits for it, and it counts only until its first call.
        if (_inFlight < _settings.MaxInFlightPerRun || action.ParentId is null) Dispatch(action);
        else Queue(action);
    }

    /// <summary>Starts an attempt on a node that may run it, or waits for one.</summary>
    private void Dispatch(ActionRecord action)
    {
        if (Place(action.Options.Role) is not { } executor)
        {
            Park(action);
            return;
        }
        Record(new LedgerEntry(LedgerEntryKind.AttemptStarted, NowMs()) { ActionId = action.Id, Attempt = action.Attempts + 1 });
        Send(action, executor);
    }

    /// <summary>Takes a place under the limit for the attempt just journaled, and sends it to the executor once durable.</summary>
    private void Send(ActionRecord action, IActorRef executor)
    {
        action.HoldsInFlightSlot = true;
        action.Executor = executor;
        _inFlight++;
        WatchExecutor(executor);
        AfterWriteSend(action, action.Attempts);
    }

    private void Queue(ActionRecord action)
    {
        if (action.InPendingQueue) return;
        action.InPendingQueue = true;
        _pending.Enqueue(action);
    }

    private void ReleaseInFlightSlot(ActionRecord action)
    {
        if (!action.HoldsInFlightSlot) return;
        action.HoldsInFlightSlot = false;
        _inFlight--;
        while (_inFlight < _settings.MaxInFlightPerRun && !_state.IsFinished && _pending.TryDequeue(out var next))
        {
            next.InPendingQueue = false;
            if (!next.IsFinished) Dispatch(next);
        }
    }

    private void OnActionEnded(ActionRecord action)
    {
        ReplyToWaiters(action);
        if (action.ParentId is not null || _state.IsFinished) return;

        // The root ended, so the run ends with it. Children it no longer waits for (it failed, or did not
        // await them) are cancelled: nothing would ever read their outcome.
        CancelUnfinished("the run's root action ended");
        var status = action.Status == ActionStatus.Succeeded ? RunStatus.Succeeded : RunStatus.Failed;
        Record(new LedgerEntry(LedgerEntryKind.RunFinished, NowMs()) { RunStatus = status });
        AfterWrite(OnRunEnded);
    }

    /// <summary>Records every unfinished action as cancelled and fires the token of those running.</summary>
    private void CancelUnfinished(string reason)
    {
        // Runs usually end with nothing left over: the counts say so without walking every action.
        if (!_state.HasUnfinishedActions) return;
        foreach (var action in _state.Actions.Where(a => !a.IsFinished).ToList())
        {
            var running = action.Status == ActionStatus.Running && action.DispatchedHere;
            Record(new LedgerEntry(LedgerEntryKind.ActionCancelled, NowMs()) { ActionId = action.Id });
            if (running) action.Executor?.Tell(new CancelAction(action.Id, reason));
            Timers.Cancel($"retry:{action.Id}");
            AfterWriteEnded(action);
        }
        _pending.Clear();
        _unplaced.Clear();
    }

    private void OnRunEnded()
    {
        _log.Info("Run {0} {1} with {2} action(s)", _state.RunId, _state.Status, _state.ActionCount);
        var outcome = Outcome();
        foreach (var (waiter, _) in _runWaiters) waiter.Tell(outcome);
        _runWaiters.Clear();
        Timers.Cancel("sweep-waiters");
        StopDelivery();
        SetReceiveTimeout(_settings.FinishedRunIdleTimeout);
    }

    private void ReplyToWaiters(ActionRecord action)
    {
        if (action.Waiter is null || action.ParentId is null) return;
        var outcome = action.ToOutcome();
        Enqueue(action.Waiter, action.ParentId, outcome);
        if (action.MoreWaiters is { } more)
            foreach (var waiter in more) Enqueue(waiter, action.ParentId, outcome);
        action.ClearWaiters();
    }

    /// <summary>
    /// A parent that ran again made a call whose id matches an earlier call with another task or input:
    /// its calls are not in the same order as before (a Parallel.For, a call that depends on the clock),
    /// so the journaled outcome would be the answer to a different question. Refused, as Temporal does.
    /// </summary>
    private static ChildOutcome NonDeterministicCall(ActionRecord recorded, ChildCall call) => new(
        call.ActionId, call.TaskName, OutcomeKind.Failed, null,
        new ErrorInfo("Fanout.NonDeterministicCall",
            $"Call {call.ActionId} was first made as {recorded.TaskName}({Shorten(recorded.InputJson)}) and now as " +
            $"{call.TaskName}({Shorten(call.InputJson)}). A parent that runs again must make its calls in the same " +
            "order with the same inputs, so each finds its journaled outcome; start calls in a deterministic order.",
            null),
        recorded.Attempts);

    private static string Shorten(string json) => json.Length <= 60 ? json : json[..57] + "...";

    private RunOutcome Outcome()
    {
        var root = _state.Root;
        return new RunOutcome(_state.RunId, _state.Status, root?.ResultJson, root?.Error, root?.Id, root?.TaskName,
            root?.Attempts ?? 0, _state.Exists);
    }

    private void SweepRunWaiters()
    {
        var now = DateTime.UtcNow;
        for (var i = _runWaiters.Count - 1; i >= 0; i--)
        {
            if (_runWaiters[i].Deadline > now) continue;
            _runWaiters[i].Waiter.Tell(new RunStillGoing(_state.RunId));
            _runWaiters.RemoveAt(i);
        }
        if (_runWaiters.Count == 0) Timers.Cancel("sweep-waiters");
    }

    private void ReplyThenForgetIfUnknown(object reply)
    {
        Sender.Tell(reply);
        // A query for a run that never started must not leave an empty entity remembered.
        if (!_state.Exists) Passivate();
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

    private sealed class SweepWaiters : INoSerializationVerificationNeeded
    {
        public static readonly SweepWaiters Instance = new();
    }

    private sealed class ForgetIfUnasked : INoSerializationVerificationNeeded
    {
        public static readonly ForgetIfUnasked Instance = new();
    }
}
