using Akka.Actor;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Runtime;

/// <summary>
/// A run core's effects for specs that read what it journals: entries are kept in <see cref="Journaled"/>; an outcome
/// is made durable at once when <see cref="Core"/> is set (as the run actor does when no write is in flight); the
/// other effects are not what these specs read.
/// </summary>
internal sealed class JournalingEffects : IRunEffects
{
    public RunCore? Core { get; set; }
    public List<LedgerEntry> Journaled { get; } = [];

    public void Journal(LedgerEntry entry) => Journaled.Add(entry);
    public void EndedAfterWrite(ActionRecord action) => Core?.OnOutcomeDurable(action);
    public void SendAfterWrite(ActionRecord action, int attempt) { }
    public void Answer(IActorRef waiter, string parentId, ChildOutcome outcome) { }
    public void AnswerAfterWrite(IActorRef waiter, string parentId, ChildOutcome outcome) { }
    public void RetryAfterWrite(string actionId, int afterAttempt, TimeSpan backoff) { }
    public void CancelRetry(string actionId) { }
    public void CancelOnExecutor(IActorRef executor, string actionId, string reason) { }
    public void Watch(IActorRef executor) { }
    public void CheckPlacementPeriodically(bool needed) { }
    public void RunEndedAfterWrite() { }
}
