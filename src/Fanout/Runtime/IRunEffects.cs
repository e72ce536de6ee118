using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// What a run's decisions (<see cref="RunCore"/>) ask of the world, in the order decided. The run actor
/// carries them out: it journals facts in group commits and holds back every "after write" effect until
/// the facts recorded before it are durable, so nothing anyone sees depends on a fact that may be lost.
/// Specs record them instead, to test the decisions without actors or a journal.
/// </summary>
internal interface IRunEffects
{
    /// <summary>A fact to journal; <see cref="RunCore"/> has already applied it to the run's state.</summary>
    void Journal(LedgerEntry entry);

    /// <summary>Sends attempt <paramref name="attempt"/> of the action to its <see cref="ActionRecord.Executor"/> once durable.</summary>
    void SendAfterWrite(ActionRecord action, int attempt);

    /// <summary>The action's outcome is recorded: once durable, call <see cref="RunCore.OnOutcomeDurable"/>.</summary>
    void EndedAfterWrite(ActionRecord action);

    /// <summary>Sends a child's outcome to the executor of the parent awaiting it (the outcome is already durable).</summary>
    void Answer(IActorRef waiter, string parentId, ChildOutcome outcome);

    /// <summary>Sends a child's outcome to the parent's executor once what was recorded before it is durable.</summary>
    void AnswerAfterWrite(IActorRef waiter, string parentId, ChildOutcome outcome);

    /// <summary>Calls <see cref="RunCore.RetryDue"/> for the action after <paramref name="backoff"/>, counted from when its failure is durable.</summary>
    void RetryAfterWrite(string actionId, int afterAttempt, TimeSpan backoff);

    /// <summary>Forgets the action's pending retry, if any.</summary>
    void CancelRetry(string actionId);

    /// <summary>Tells the executor running the action's attempt to cancel it.</summary>
    void CancelOnExecutor(IActorRef executor, string actionId, string reason);

    /// <summary>Watches the executor, so its death (with its node) comes to <see cref="RunCore.OnExecutorLost"/>.</summary>
    void Watch(IActorRef executor);

    /// <summary>Actions wait for a node that may run them: call <see cref="RunCore.FailUnplacedPastTimeout"/> now and then, until told otherwise.</summary>
    void CheckPlacementPeriodically(bool needed);

    /// <summary>The run's end is recorded: once durable, answer whoever awaits the run.</summary>
    void RunEndedAfterWrite();
}
