using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// How the run actor carries out its core's decisions (<see cref="IRunEffects"/>): facts go into the next
/// group commit, and what depends on them waits until they are durable (RunActor.GroupCommit.cs).
/// </summary>
internal sealed partial class RunActor
{
    void IRunEffects.Journal(LedgerEntry entry) => _unwritten.Add(entry);

    // Typed, not a closure: one per action of a million-action run.
    void IRunEffects.SendAfterWrite(ActionRecord action, int attempt)
    {
        if (NothingToWait) SendNow(action, attempt);
        else _afterWrite.Sends.Add((action, attempt));
    }

    void IRunEffects.EndedAfterWrite(ActionRecord action)
    {
        _traces.Forget(action.Id);
        if (NothingToWait) _core.OnOutcomeDurable(action);
        else _afterWrite.Ended.Add(action);
    }

    void IRunEffects.Answer(IActorRef waiter, string parentId, ChildOutcome outcome) => Enqueue(waiter, parentId, outcome);

    void IRunEffects.AnswerAfterWrite(IActorRef waiter, string parentId, ChildOutcome outcome) =>
        AfterWrite(() => Enqueue(waiter, parentId, outcome));

    void IRunEffects.RetryAfterWrite(string actionId, int afterAttempt, TimeSpan backoff) =>
        AfterWrite(() => _settings.Hooks.Clock.StartSingleTimer(Timers, Self, $"retry:{actionId}", new RetryDue(actionId, afterAttempt), backoff));

    void IRunEffects.CancelRetry(string actionId) => _settings.Hooks.Clock.CancelTimer(Timers, Self, $"retry:{actionId}");

    void IRunEffects.CancelOnExecutor(IActorRef executor, string actionId, string reason) => executor.Tell(new CancelAction(actionId, reason));

    void IRunEffects.Watch(IActorRef executor)
    {
        if (_watchedExecutors.Add(executor)) Context.Watch(executor);
    }

    void IRunEffects.CheckPlacementPeriodically(bool needed)
    {
        if (!needed) Timers.Cancel("placement");
        else if (!Timers.IsTimerActive("placement")) Timers.StartPeriodicTimer("placement", CheckPlacement.Instance, PlacementCheckInterval);
    }

    void IRunEffects.RunEndedAfterWrite() => AfterWrite(OnRunEnded);
}
