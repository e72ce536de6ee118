using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// The decisions of one run, as plain code over its state: what a start, a parent's calls, an attempt's
/// report, a retry coming due or a cancel changes (facts, applied to <see cref="State"/> and handed to
/// <see cref="IRunEffects.Journal"/>) and what follows (attempts to send, outcomes to answer, retries to
/// schedule: the other <see cref="IRunEffects"/> calls). It never journals, sends or schedules itself;
/// <see cref="RunActor"/> does, and specs read the decisions without actors.
///
/// Every attempt starts on one path (RunCore.Attempts.cs): in-flight limit, placement (RunCore.Placement.cs),
/// record, send. Beside the journaled state it keeps what one incarnation of the run knows: which attempts
/// it sent and where, the queue for room under the limit, and the actions waiting for a node.
/// </summary>
internal sealed partial class RunCore(RunState state, RuntimeSettings settings, IRunEffects effects, Func<long> nowMs)
{
    /// <summary>The journaled state (replaced wholesale only while recovering from a snapshot).</summary>
    public RunState State { get; private set; } = state;

    /// <summary>Takes the state a snapshot holds; journal entries after it are then applied to it.</summary>
    public void RecoverFrom(RunState snapshotState) => State = snapshotState;

    /// <summary>
    /// Starts the run: records it and its root action, and starts the root's first attempt. Started again
    /// (a retried start), it changes nothing. Returns what the run holds when that differs from the start:
    /// a run id names one run, and a start of another task or input under it is refused with it.
    /// </summary>
    public RunStartedWith? Start(StartRun start)
    {
        if (!State.Exists)
        {
            Record(new LedgerEntry(LedgerEntryKind.RunStarted, nowMs()) { TaskName = start.TaskName });
            Request(new LedgerEntry(LedgerEntryKind.ActionRequested, nowMs())
            {
                ActionId = State.RunId, TaskName = start.TaskName, InputJson = start.InputJson, Options = start.Options,
            }, waiter: null);
        }
        return State.Root is { } existing
               && (existing.TaskName != start.TaskName || !JsonEquivalence.Same(existing.InputJson, start.InputJson))
            ? new RunStartedWith(existing.TaskName, existing.InputJson)
            : null;
    }

    /// <summary>
    /// A parent's calls: new ones are recorded and start; one recorded before with the same task and input
    /// is answered with its outcome when it has one, or awaited; one recorded with another task or input is
    /// answered as a non-deterministic call.
    /// </summary>
    public void Call(string parentId, IReadOnlyList<ChildCall> calls, IActorRef replyTo)
    {
        // A parent that calls children mostly waits from now on: it gives its place under the limit back.
        if (State.Find(parentId) is { HoldsInFlightSlot: true } parent) ReleaseInFlightSlot(parent);

        foreach (var call in calls)
        {
            if (!State.Exists || State.IsFinished)
            {
                effects.Answer(replyTo, parentId, new ChildOutcome(call.ActionId, call.TaskName, OutcomeKind.Cancelled, null, null, 0));
                continue;
            }

            var action = State.Find(call.ActionId);
            if (action is null && State.ActionCount >= settings.MaxActionsPerRun)
            {
                // Checked here, where calls are journaled, not by the calling node: nothing is recorded, and
                // a parent that runs again makes the same call and gets the same answer.
                effects.AnswerAfterWrite(replyTo, parentId, OverActionLimit(call));
            }
            else if (action is null)
            {
                Request(new LedgerEntry(LedgerEntryKind.ActionRequested, nowMs())
                {
                    ActionId = call.ActionId, ParentId = parentId, TaskName = call.TaskName, Group = call.Group,
                    InputJson = call.InputJson, Options = call.Options,
                }, replyTo);
            }
            else if (action.TaskName != call.TaskName || action.InputJson != call.InputJson)
            {
                effects.AnswerAfterWrite(replyTo, parentId, NonDeterministicCall(action, call));
            }
            else if (action.IsFinished)
            {
                effects.AnswerAfterWrite(replyTo, parentId, action.ToOutcome());
            }
            else
            {
                action.AddWaiter(replyTo);
                // Running, queued or waiting for a retry under this incarnation: the outcome will come.
                // Recovered unfinished: its attempt (or its retry timer) died with the process, so start the next one.
                if (!action.TrackedHere) StartNextAttempt(action);
            }
        }
    }

    /// <summary>
    /// An attempt's report. Returns false, changing nothing, for a report of anything but the action's
    /// current, unended attempt: one sent again because its acknowledgement was lost, or a superseded one.
    /// </summary>
    public bool OnAttemptFinished(AttemptFinished finished)
    {
        var action = State.Find(finished.ActionId);
        if (action is null || State.IsFinished || !action.IsOpen(finished.Attempt)) return false;
        ReleaseInFlightSlot(action);

        switch (finished.Kind)
        {
            case OutcomeKind.Interrupted:
                // Handed back by its node (a drain, an executor restart): not the task's fault and not lost,
                // so it uses up neither its retries nor the allowance for lost attempts.
                Record(new LedgerEntry(LedgerEntryKind.AttemptInterrupted, nowMs())
                {
                    ActionId = action.Id, Attempt = finished.Attempt, Error = finished.Error,
                });
                StartNextAttempt(action);
                break;
            case OutcomeKind.Succeeded:
                Record(new LedgerEntry(LedgerEntryKind.ActionSucceeded, nowMs()) { ActionId = action.Id, ResultJson = finished.ResultJson });
                effects.EndedAfterWrite(action);
                break;
            case OutcomeKind.Failed when finished.Retryable && action.FailedAttempts < action.Options.Retries:
                Record(new LedgerEntry(LedgerEntryKind.AttemptFailed, nowMs())
                {
                    ActionId = action.Id, Attempt = finished.Attempt, Error = finished.Error,
                });
                action.Tracking = Tracking.WaitingForRetry;
                effects.RetryAfterWrite(action.Id, finished.Attempt, action.Options.BackoffBefore(finished.Attempt + 1));
                break;
            default:
                Record(new LedgerEntry(LedgerEntryKind.ActionFailed, nowMs())
                {
                    ActionId = action.Id, Attempt = finished.Attempt, Error = finished.Error,
                });
                effects.EndedAfterWrite(action);
                break;
        }
        return true;
    }

    /// <summary>The backoff after attempt <paramref name="afterAttempt"/> is over: its retry starts, unless the action moved on.</summary>
    public void RetryDue(string actionId, int afterAttempt)
    {
        var action = State.Find(actionId);
        if (action is null || State.IsFinished || action.Status != ActionStatus.Retrying || action.Attempts != afterAttempt) return;
        StartNextAttempt(action);
    }

    /// <summary>Cancels the run and every unfinished action; returns false when it had ended (or never started).</summary>
    public bool Cancel(string reason)
    {
        if (!State.Exists || State.IsFinished) return false;
        CancelUnfinished(reason);
        Record(new LedgerEntry(LedgerEntryKind.RunFinished, nowMs()) { RunStatus = RunStatus.Cancelled });
        effects.RunEndedAfterWrite();
        return true;
    }

    /// <summary>
    /// The action's outcome is durable: its waiting parents hear it. When it is the root, the run ends with
    /// it, and children nobody awaits any more (the root failed, or did not await them) are cancelled.
    /// </summary>
    public void OnOutcomeDurable(ActionRecord action)
    {
        if (action.Waiter is { } waiter && action.ParentId is { } parentId)
        {
            var outcome = action.ToOutcome();
            effects.Answer(waiter, parentId, outcome);
            if (action.MoreWaiters is { } more)
                foreach (var another in more) effects.Answer(another, parentId, outcome);
            action.ClearWaiters();
        }
        if (action.ParentId is not null || State.IsFinished) return;

        CancelUnfinished("the run's root action ended");
        var status = action.Status == ActionStatus.Succeeded ? RunStatus.Succeeded : RunStatus.Failed;
        Record(new LedgerEntry(LedgerEntryKind.RunFinished, nowMs()) { RunStatus = status });
        effects.RunEndedAfterWrite();
    }

    /// <summary>
    /// Runs the root again after recovery (or ends the run, when the root's outcome was journaled but not
    /// the run's end): it re-issues its calls, finished children answer from the journal, running ones that
    /// were re-attached answer when they end, lost and queued ones start another attempt.
    /// </summary>
    public void Resume()
    {
        var root = State.Root!;
        if (root.IsFinished) OnOutcomeDurable(root);
        else if (!root.TrackedHere) StartNextAttempt(root);
    }

    /// <summary>Records every unfinished action as cancelled and cancels the attempts running.</summary>
    private void CancelUnfinished(string reason)
    {
        // Runs usually end with nothing left over: the counts say so without walking every action.
        if (!State.HasUnfinishedActions) return;
        foreach (var action in State.Actions.Where(a => !a.IsFinished).ToList())
        {
            var running = action is { Status: ActionStatus.Running, Tracking: Tracking.Sent };
            Record(new LedgerEntry(LedgerEntryKind.ActionCancelled, nowMs()) { ActionId = action.Id });
            if (running && action.Executor is { } executor) effects.CancelOnExecutor(executor, action.Id, reason);
            effects.CancelRetry(action.Id);
            effects.EndedAfterWrite(action);
        }
        _pending.Clear();
        _unplaced.Clear();
        effects.CheckPlacementPeriodically(false);
    }

    private void Record(LedgerEntry entry)
    {
        State.Apply(entry);
        effects.Journal(entry);
        Diagnostics.RunMetrics.Recorded(entry, State);
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

    /// <summary>A call the run would have to record beyond <see cref="FanoutRuntimeOptions.MaxActionsPerRun"/>: it fails, the run goes on.</summary>
    private ChildOutcome OverActionLimit(ChildCall call) => new(
        call.ActionId, call.TaskName, OutcomeKind.Failed, null,
        new ErrorInfo("Fanout.MaxActionsPerRun",
            $"Run {State.RunId} already has {State.ActionCount} actions, the most MaxActionsPerRun " +
            $"({settings.MaxActionsPerRun}) allows: call {call.ActionId} of {call.TaskName} was not started. " +
            "Raise MaxActionsPerRun (FANOUT_MAX_ACTIONS_PER_RUN) or split the work into several runs.",
            null),
        0);

    private static string Shorten(string json) => json.Length <= 60 ? json : json[..57] + "...";
}
