using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
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
/// effects that depend on a fact (dispatching an action, answering a parent) wait until it is durable.
/// </summary>
internal sealed class RunActor : ReceivePersistentActor, IWithTimers
{
    private const int MaxEntriesPerEvent = 2000;
    private const long MaxEventBytes = 512 * 1024;
    private const int MaxOutcomesPerMessage = 200;
    private const long MaxMessageBytes = 64 * 1024; // half of Akka.Remote's default frame
    private static readonly TimeSpan WaiterSweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForgetIfUnaskedDelay = TimeSpan.FromMilliseconds(250);

    private readonly RunState _state;
    private readonly IActorRef _actionRegion;
    private readonly RuntimeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly List<LedgerEntry> _unwritten = [];
    private readonly List<Action> _afterWrite = [];
    private bool _writing;
    private readonly Dictionary<IActorRef, List<ChildOutcome>> _outbox = new();
    private readonly List<(IActorRef Waiter, DateTime Deadline)> _runWaiters = [];
    private bool _askedSinceRecovery;

    public RunActor(string runId, IActorRef actionRegion, RuntimeSettings settings)
    {
        _state = new RunState(runId);
        _actionRegion = actionRegion;
        _settings = settings;

        Recover<LedgerBatch>(batch =>
        {
            foreach (var entry in batch.Entries) _state.Apply(entry);
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<StartRun>(m => Asked(m, Handle));
        Command<StartChildren>(m => Asked(m, Handle));
        Command<AttemptFinished>(Handle);
        Command<RetryDue>(Handle);
        Command<CancelRun>(m => Asked(m, Handle));
        Command<GetRunSummary>(m => Asked(m, _ => ReplyThenForgetIfUnknown(new RunSummaryReply(_state.Exists ? _state.ToSummary() : null))));
        Command<ListActions>(m => Asked(m, _ => ReplyThenForgetIfUnknown(new ActionPageReply(_state.Exists ? _state.Query(m.Query) : null))));
        Command<AwaitRun>(m => Asked(m, Handle));
        Command<SweepWaiters>(_ => SweepRunWaiters());
        Command<ForgetIfUnasked>(_ =>
        {
            if (_askedSinceRecovery) SetReceiveTimeout(_settings.RecoveredFinishedRunIdleTimeout);
            else Passivate();
        });
        Command<ReceiveTimeout>(_ => Passivate());
    }

    public override string PersistenceId => $"run-{_state.RunId}";

    public ITimerScheduler Timers { get; set; } = null!;

    private void OnRecovered()
    {
        if (!_state.Exists) return;
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

        // The process that ran this run stopped before the run ended. Run the root again: it re-issues
        // its calls, finished children answer from the journal, lost ones start another attempt.
        _log.Info("Run {0} resumed from its journal with {1} action(s) recorded", _state.RunId, _state.ActionCount);
        StartNextAttempt(root);
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
            Record(new LedgerEntry(LedgerEntryKind.ActionRequested, NowMs())
            {
                ActionId = _state.RunId, TaskName = start.TaskName, InputJson = start.InputJson, Options = start.Options,
            });
            StartNextAttempt(_state.Root!);
        }
        var replyTo = Sender;
        AfterWrite(() => replyTo.Tell(new RunAccepted(_state.RunId)));
        Flush();
    }

    private void Handle(StartChildren start)
    {
        Sender.Tell(new ChildrenAccepted(start.Calls.Count));
        foreach (var call in start.Calls)
        {
            if (!_state.Exists || _state.IsFinished)
            {
                Enqueue(start.ReplyTo, new ChildOutcome(call.ActionId, call.TaskName, OutcomeKind.Cancelled, null, null, 0));
                continue;
            }

            var action = _state.Find(call.ActionId);
            if (action is null)
            {
                Record(new LedgerEntry(LedgerEntryKind.ActionRequested, NowMs())
                {
                    ActionId = call.ActionId, ParentId = start.ParentId, TaskName = call.TaskName, Group = call.Group,
                    InputJson = call.InputJson, Options = call.Options,
                });
                action = _state.Find(call.ActionId)!;
                AddWaiter(action, start.ReplyTo);
                StartNextAttempt(action);
            }
            else if (action.TaskName != call.TaskName || action.InputJson != call.InputJson)
            {
                var replyTo = start.ReplyTo;
                var mismatch = NonDeterministicCall(action, call);
                AfterWrite(() => Enqueue(replyTo, mismatch));
            }
            else if (action.IsFinished)
            {
                var replyTo = start.ReplyTo;
                AfterWrite(() => Enqueue(replyTo, action.ToOutcome()));
            }
            else
            {
                AddWaiter(action, start.ReplyTo);
                // Running or waiting for a retry under this incarnation: the outcome will come. Recovered
                // unfinished: its attempt (or its retry timer) died with the process, so start the next one.
                if (!action.DispatchedHere) StartNextAttempt(action);
            }
        }
        Flush();
    }

    private void Handle(AttemptFinished finished)
    {
        var action = _state.Find(finished.ActionId);
        if (action is null || action.IsFinished || _state.IsFinished || finished.Attempt != action.Attempts) return;

        switch (finished.Kind)
        {
            case OutcomeKind.Interrupted:
                // Not the task's fault: another attempt, counted against the allowance for lost ones.
                StartNextAttempt(action);
                break;
            case OutcomeKind.Succeeded:
                Record(new LedgerEntry(LedgerEntryKind.ActionSucceeded, NowMs())
                {
                    ActionId = action.Id, ResultJson = finished.ResultJson,
                });
                AfterWrite(() => OnActionEnded(action));
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
                AfterWrite(() => OnActionEnded(action));
                break;
        }
        Flush();
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
        var replyTo = Sender;
        AfterWrite(() => replyTo.Tell(Outcome()));
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

    /// <summary>Journals the start of the action's next attempt and sends it to its node once durable.</summary>
    private void StartNextAttempt(ActionRecord action)
    {
        if (action.IsFinished) return;

        // Attempts that started but never reported back were lost with their node (or process).
        var lost = action.Attempts - action.FailedAttempts;
        if (lost > _settings.LostAttemptRetries)
        {
            Record(new LedgerEntry(LedgerEntryKind.ActionFailed, NowMs())
            {
                ActionId = action.Id,
                Error = new ErrorInfo("Fanout.AttemptLostException",
                    $"{lost} attempt(s) of this action never reported back (the node running it stopped); " +
                    $"the runtime allows {_settings.LostAttemptRetries} such loss(es)", null),
            });
            AfterWrite(() => OnActionEnded(action));
            return;
        }

        var attempt = action.Attempts + 1;
        Record(new LedgerEntry(LedgerEntryKind.AttemptStarted, NowMs()) { ActionId = action.Id, Attempt = attempt });
        action.DispatchedHere = true;
        AfterWrite(() =>
        {
            if (action.IsFinished || action.Attempts != attempt) return;
            _actionRegion.Tell(new ExecuteAction(action.Id, _state.RunId, action.TaskName, action.InputJson, attempt,
                action.Options.TimeoutMs));
        });
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
            Record(new LedgerEntry(LedgerEntryKind.ActionCancelled, NowMs()) { ActionId = action.Id });
            if (action.DispatchedHere) _actionRegion.Tell(new CancelAction(action.Id, reason));
            Timers.Cancel($"retry:{action.Id}");
            AfterWrite(() => ReplyToWaiters(action));
        }
    }

    private void OnRunEnded()
    {
        _log.Info("Run {0} {1} with {2} action(s)", _state.RunId, _state.Status, _state.ActionCount);
        var outcome = Outcome();
        foreach (var (waiter, _) in _runWaiters) waiter.Tell(outcome);
        _runWaiters.Clear();
        Timers.Cancel("sweep-waiters");
        SetReceiveTimeout(_settings.FinishedRunIdleTimeout);
    }

    private void ReplyToWaiters(ActionRecord action)
    {
        if (action.Waiters is null) return;
        var outcome = action.ToOutcome();
        foreach (var waiter in action.Waiters) Enqueue(waiter, outcome);
        action.Waiters = null;
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

    private static void AddWaiter(ActionRecord action, IActorRef waiter)
    {
        action.Waiters ??= new List<IActorRef>(1);
        if (!action.Waiters.Contains(waiter)) action.Waiters.Add(waiter);
    }

    private RunOutcome Outcome()
    {
        var root = _state.Root;
        return new RunOutcome(_state.RunId, _state.Status, root?.ResultJson, root?.Error, root?.Id, root?.TaskName,
            root?.Attempts ?? 0, _state.Exists);
    }

    // ---- group commit -------------------------------------------------------------------------

    private void Record(LedgerEntry entry)
    {
        _state.Apply(entry);
        _unwritten.Add(entry);
    }

    private void AfterWrite(Action effect)
    {
        if (_unwritten.Count == 0 && !_writing) effect();
        else _afterWrite.Add(effect);
    }

    /// <summary>
    /// Starts a journal write of everything recorded so far, unless one is in flight (its completion
    /// calls this again); with nothing left to write, runs the effects that were waiting.
    /// </summary>
    private void Flush()
    {
        while (!_writing)
        {
            if (_unwritten.Count > 0)
            {
                StartWrite();
                break;
            }
            if (_afterWrite.Count == 0) break;
            var ready = _afterWrite.ToList();
            _afterWrite.Clear();
            foreach (var effect in ready) effect();
        }
        FlushOutbox();
    }

    private void StartWrite()
    {
        var events = WeightedChunks
            .Split(_unwritten, MaxEntriesPerEvent, MaxEventBytes, e => WeightedChunks.Of(e.InputJson, e.ResultJson, e.Error))
            .Select(chunk => new LedgerBatch(chunk))
            .ToList();
        var effects = _afterWrite.ToList();
        _unwritten.Clear();
        _afterWrite.Clear();
        _writing = true;
        var remaining = events.Count;
        PersistAllAsync(events, _ =>
        {
            if (--remaining > 0) return;
            _writing = false;
            foreach (var effect in effects) effect();
            Flush();
        });
    }

    private void Enqueue(IActorRef parent, ChildOutcome outcome)
    {
        if (!_outbox.TryGetValue(parent, out var outcomes)) _outbox[parent] = outcomes = [];
        outcomes.Add(outcome);
    }

    private void FlushOutbox()
    {
        foreach (var (parent, outcomes) in _outbox)
        {
            var chunks = WeightedChunks.Split(outcomes, MaxOutcomesPerMessage, MaxMessageBytes,
                o => WeightedChunks.Of(o.ResultJson, o.ActionId, o.Error));
            foreach (var chunk in chunks) parent.Tell(new ChildResults(chunk));
        }
        _outbox.Clear();
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

    private void Passivate() => Context.Parent.Tell(new Passivate(PoisonPill.Instance));

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
