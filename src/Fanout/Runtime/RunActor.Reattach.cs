using Akka.Actor;
using Akka.Event;
using Fanout.Clustering;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Re-attaching after recovery. A run that recovers unfinished may have moved (its node left or died)
/// while its attempts still run on live executors. Before it runs its root again, it asks every executor
/// it knows which of its attempts it holds: a leaf still running its current attempt is adopted (its
/// outcome will come here; nothing runs twice), while a parent is set aside (interrupted, not lost) and runs
/// again, because what it awaited lived in the old incarnation's memory. Each executor first sends the
/// reports the old incarnation never acknowledged, so attempts that ended while the run moved are not run
/// again. Other messages that arrive meanwhile wait in the stash. An executor that does not answer within
/// <see cref="ReattachWait"/> is taken to hold nothing (its leases correct that later: RunActor.Delivery.cs).
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
            _core.OnExecutorsChanged(changed.Executors);
            if (_awaitingHeld is not null) return;
            _awaitingHeld = [.. changed.Executors.Select(e => e.Executor)];
            foreach (var executor in _awaitingHeld) executor.Tell(new ReportAttempts(State.RunId));
            if (_awaitingHeld.Count == 0) FinishReattach();
            else Timers.StartSingleTimer("reattach", ReattachTimedOut.Instance, ReattachWait);
        });
        // Reports the executors kept (an earlier incarnation never acknowledged them) come first: the run
        // learns every outcome before it decides what to run again.
        Command<AttemptsFinished>(OnAttemptsFinished);
        Command<HeldAttempts>(held =>
        {
            OnHeld(held.Attempts, Sender);
            Flush();
            if (_awaitingHeld is null || !_awaitingHeld.Remove(Sender) || _awaitingHeld.Count > 0) return;
            FinishReattach();
        });
        Command<ReattachTimedOut>(_ => FinishReattach());
        Command<StopRun>(_ => StopOnceWritten());
        CommandAny(_ => Stash.Stash());
    }

    private void FinishReattach()
    {
        Timers.Cancel("reattach");
        if (_core.InFlight > 0) _log.Info("Run {0} re-attached to {1} running attempt(s)", State.RunId, _core.InFlight);
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
