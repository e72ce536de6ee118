using Akka.Actor;
using Akka.Event;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// The run's side of delivery that survives lost messages (Akka remoting delivers at most once):
/// <list type="bullet">
/// <item>every attempt sent is outstanding until its report comes; executors confirm it soon after it
/// arrives and then lease it (both <see cref="AttemptsHeld"/>) while they hold it. One not confirmed within
/// <see cref="RuntimeSettings.AttemptReceiptTimeout"/>, or confirmed but not heard of since for
/// <see cref="RuntimeSettings.AttemptLeaseTimeout"/>, is sent again, under the same attempt number, to the
/// same executor, which runs it if it never got it, confirms it if it holds it, and answers with the kept
/// report if it already ended. The wait doubles with each send. A dead executor ends this (Terminated).</item>
/// <item>every child outcome sent to a parent's executor is kept until that executor acknowledges it
/// (<see cref="ChildResultsReceived"/>), and sent again with backoff.</item>
/// <item>reports are acknowledged (<see cref="ReportsAcknowledged"/>) once what they say is journaled.</item>
/// </list>
/// A lease naming an attempt the run has no use for (cancelled, ended, superseded) is answered by
/// telling the executor to drop it, so nothing the run forgot keeps running.
/// </summary>
internal sealed partial class RunActor
{
    private readonly Dictionary<string, OutstandingAttempt> _outstanding = new(StringComparer.Ordinal);
    // By waiter, then action id: an actor ref's hash and equality walk its path, so a batch of outcomes for
    // one parent's executor looks the executor up once (and the last one is kept at hand).
    private readonly Dictionary<IActorRef, Dictionary<string, UnacknowledgedOutcome>> _unacknowledged = new();
    private IActorRef? _lastWaiter;
    private Dictionary<string, UnacknowledgedOutcome>? _lastWaiterOutcomes;

    // Earlier attempts found alive after a later one started, journaled as interrupted once each.
    private readonly HashSet<(string ActionId, int Attempt)> _setAside = [];

    /// <summary>Notes that attempt <paramref name="attempt"/> of the action went to <paramref name="executor"/> just now.</summary>
    private void TrackSent(ActionRecord action, int attempt, IActorRef executor, bool confirmed = false)
    {
        _outstanding[action.Id] = new OutstandingAttempt(executor, attempt, NowMs()) { Confirmed = confirmed };
        EnsureDeliveryCheck();
    }

    /// <summary>Keeps a child's outcome sent to the executor awaiting it until that executor acknowledges it.</summary>
    private void TrackOutcome(IActorRef waiter, string parentId, ChildOutcome outcome)
    {
        OutcomesAwaitedBy(waiter)[outcome.ActionId] = new UnacknowledgedOutcome(parentId, outcome, NowMs() + ResendWait(0));
        EnsureDeliveryCheck();
    }

    private void OnOutcomesReceived(ChildResultsReceived received, IActorRef executor)
    {
        if (!_unacknowledged.TryGetValue(executor, out var outcomes)) return;
        foreach (var actionId in received.ActionIds) outcomes.Remove(actionId);
        if (outcomes.Count > 0) return;
        _unacknowledged.Remove(executor);
        _lastWaiter = null;
        _lastWaiterOutcomes = null;
    }

    private Dictionary<string, UnacknowledgedOutcome> OutcomesAwaitedBy(IActorRef waiter)
    {
        if (ReferenceEquals(waiter, _lastWaiter) && _lastWaiterOutcomes is { } last) return last;
        if (!_unacknowledged.TryGetValue(waiter, out var outcomes)) _unacknowledged[waiter] = outcomes = new(StringComparer.Ordinal);
        (_lastWaiter, _lastWaiterOutcomes) = (waiter, outcomes);
        return outcomes;
    }

    /// <summary>Acknowledges reports once the facts they brought are durable (at once when they brought none).</summary>
    private void AcknowledgeAfterWrite(IActorRef executor, IReadOnlyList<AttemptFinished> reports)
    {
        if (executor.IsNobody() || reports.Count == 0) return;
        var acknowledged = new ReportsAcknowledged(State.RunId, reports.Select(r => new AttemptKey(r.ActionId, r.Attempt)).ToList());
        AfterWrite(() => executor.Tell(acknowledged));
    }

    /// <summary>An executor's lease: the attempts of this run it holds.</summary>
    private void OnHeld(IReadOnlyList<HeldAttempt> attempts, IActorRef executor)
    {
        var now = NowMs();
        foreach (var held in attempts)
        {
            var action = State.Find(held.ActionId);
            if (action is not null && action.IsOpen(held.Attempt))
            {
                if (_outstanding.TryGetValue(action.Id, out var sent) && sent.Attempt == held.Attempt && sent.Executor.Equals(executor))
                {
                    sent.LastHeardMs = now;
                    sent.Confirmed = true;
                    continue;
                }
                // A leaf running the attempt the journal knows, sent by an earlier incarnation of this run (it
                // moved, or its node restarted): adopted, so it does not run again.
                if (!action.TrackedHere && !held.IsParent)
                {
                    _core.Adopt(action, executor, held.Attempt);
                    TrackSent(action, held.Attempt, executor, confirmed: true);
                    continue;
                }
                // A parent from an earlier incarnation: what it awaited lived in that incarnation's memory, so it
                // runs again. It was alive, so the attempt counts as interrupted, not lost.
                if (!action.TrackedHere && _setAside.Add((action.Id, held.Attempt)))
                    _core.SetAside(action, held.Attempt, "its run moved to another node");
            }
            // An earlier attempt still alive on a live executor was not lost, though the run counted it so when
            // it started the next one without having heard of it (a re-attach answer that came late): set aside.
            else if (action is { IsFinished: false } && held.Attempt < action.Attempts && action.UnreportedAttempts > 1
                     && _setAside.Add((action.Id, held.Attempt)))
                _core.SetAside(action, held.Attempt, "a later one had started");
            if (action is { Status: ActionStatus.Cancelled }) executor.Tell(new CancelAction(held.ActionId, "its run cancelled it"));
            else executor.Tell(new AbandonAttempt(held.ActionId, held.Attempt));
        }
    }

    /// <summary>Sends again what was not heard of or acknowledged in time.</summary>
    private void CheckDelivery()
    {
        var now = NowMs();
        foreach (var (actionId, sent) in _outstanding.ToList())
        {
            var action = State.Find(actionId);
            if (action is null || action.IsFinished || action.Attempts != sent.Attempt || !sent.Executor.Equals(action.Executor))
            {
                _outstanding.Remove(actionId);
                continue;
            }
            var firstWait = sent.Confirmed ? _settings.AttemptLeaseTimeout : _settings.AttemptReceiptTimeout;
            var wait = (long)Math.Min(firstWait.TotalMilliseconds * Math.Pow(2, sent.Sends), _settings.MaxResendInterval.TotalMilliseconds);
            if (now - sent.LastHeardMs < wait) continue;
            sent.Sends++;
            sent.LastHeardMs = now;
            _log.Debug("Run {0}: no word of attempt {1} of {2} from {3}; sending it again", State.RunId, sent.Attempt, actionId, sent.Executor.Path);
            QueueDispatch(action, sent.Attempt, sent.Executor);
        }

        foreach (var (waiter, outcomes) in _unacknowledged)
        foreach (var pending in outcomes.Values)
        {
            if (pending.NextSendMs > now) continue;
            pending.Sends++;
            pending.NextSendMs = now + ResendWait(pending.Sends);
            AddToOutbox(waiter, pending.ParentId, pending.Outcome);
        }
        FlushOutbox();
        if (_outstanding.Count == 0 && _unacknowledged.Count == 0) Timers.Cancel("delivery");
    }

    /// <summary>Forgets what was waiting on an executor that is gone: its parents run again elsewhere and ask anew.</summary>
    private void ForgetDeliveriesTo(IActorRef executor)
    {
        _unacknowledged.Remove(executor);
        _lastWaiter = null;
        _lastWaiterOutcomes = null;
        foreach (var (actionId, sent) in _outstanding.ToList())
            if (sent.Executor.Equals(executor)) _outstanding.Remove(actionId);
    }

    private void StopDelivery()
    {
        _outstanding.Clear();
        _unacknowledged.Clear();
        _lastWaiter = null;
        _lastWaiterOutcomes = null;
        Timers.Cancel("delivery");
    }

    private long ResendWait(int sends) =>
        (long)Math.Min(_settings.ResendAfter.TotalMilliseconds * Math.Pow(2, sends), _settings.MaxResendInterval.TotalMilliseconds);

    private void EnsureDeliveryCheck()
    {
        if (!Timers.IsTimerActive("delivery"))
            Timers.StartPeriodicTimer("delivery", DeliveryCheck.Instance, DeliveryCheckInterval);
    }

    // Often enough that an attempt is sent again close to its receipt timeout.
    private TimeSpan DeliveryCheckInterval => TimeSpan.FromMilliseconds(Math.Max(100,
        Math.Min(_settings.LeaseInterval.TotalMilliseconds / 2, _settings.AttemptReceiptTimeout.TotalMilliseconds / 4)));

    private sealed class OutstandingAttempt(IActorRef executor, int attempt, long sentAtMs)
    {
        public IActorRef Executor { get; } = executor;
        public int Attempt { get; } = attempt;
        public long LastHeardMs { get; set; } = sentAtMs;
        public int Sends { get; set; }

        /// <summary>Whether its executor said it holds it (from then on, leases keep it alive).</summary>
        public bool Confirmed { get; set; }
    }

    private sealed class UnacknowledgedOutcome(string parentId, ChildOutcome outcome, long nextSendMs)
    {
        public string ParentId { get; } = parentId;
        public ChildOutcome Outcome { get; } = outcome;
        public long NextSendMs { get; set; } = nextSendMs;
        public int Sends { get; set; }
    }

    private sealed class DeliveryCheck : INoSerializationVerificationNeeded
    {
        public static readonly DeliveryCheck Instance = new();
    }
}
