using Akka.Actor;
using Akka.Event;
using Fanout.Clustering;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Re-attaching after recovery. A run that recovers unfinished may have moved (its node left or died)
/// while its attempts still run on live executors. Before it runs its root again, it asks every executor
/// it knows which of its attempts it holds: a leaf still running its current attempt is adopted (its
/// outcome will come here; nothing runs twice), while a parent is abandoned and runs again, because
/// what it awaited lived in the old incarnation's memory. Messages that arrive meanwhile wait in the stash.
/// An executor that does not answer within <see cref="ReattachWait"/> is taken to hold nothing.
/// </summary>
internal sealed partial class RunActor
{
    private static readonly TimeSpan ReattachWait = TimeSpan.FromSeconds(3);

    private HashSet<IActorRef>? _awaitingHeld;

    private void BeginReattach()
    {
        _awaitingHeld = null;
        Become(Reattaching);
        // Bounded even if the directory's list never came: the run then resumes without re-attaching.
        Timers.StartSingleTimer("reattach", ReattachTimedOut.Instance, ReattachWait);
    }

    private void Reattaching()
    {
        // The directory answers the subscription made in PreStart right after recovery: its list says whom to ask.
        Command<ExecutorsChanged>(changed =>
        {
            _executors = changed.Executors;
            if (_awaitingHeld is not null) return;
            _awaitingHeld = [.. changed.Executors.Select(e => e.Executor)];
            foreach (var executor in _awaitingHeld) executor.Tell(new ReportAttempts(_state.RunId));
            if (_awaitingHeld.Count == 0) FinishReattach();
            else Timers.StartSingleTimer("reattach", ReattachTimedOut.Instance, ReattachWait);
        });
        Command<HeldAttempts>(held =>
        {
            Adopt(held.Attempts, Sender);
            if (_awaitingHeld is null || !_awaitingHeld.Remove(Sender) || _awaitingHeld.Count > 0) return;
            FinishReattach();
        });
        Command<ReattachTimedOut>(_ => FinishReattach());
        CommandAny(_ => Stash.Stash());
    }

    private void Adopt(IReadOnlyList<HeldAttempt> attempts, IActorRef executor)
    {
        foreach (var held in attempts)
        {
            var action = _state.Find(held.ActionId);
            if (action is { IsFinished: false } && held.Attempt == action.Attempts && !held.IsParent && !action.DispatchedHere)
            {
                action.DispatchedHere = true;
                action.Executor = executor;
                action.HoldsInFlightSlot = true;
                _inFlight++;
                WatchExecutor(executor);
                continue;
            }
            // A parent, or an attempt the run has moved past: its executor drops it without a report.
            executor.Tell(new AbandonAttempt(held.ActionId, held.Attempt));
        }
    }

    private void FinishReattach()
    {
        Timers.Cancel("reattach");
        if (_inFlight > 0) _log.Info("Run {0} re-attached to {1} running attempt(s)", _state.RunId, _inFlight);
        _awaitingHeld = [];
        Become(Commands);
        Stash.UnstashAll();
        Resume();
    }

    private sealed class ReattachTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly ReattachTimedOut Instance = new();
    }
}
