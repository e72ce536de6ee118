using Akka.Actor;
using Akka.Event;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// What the run does when its journal fails or rejects a write.
///
/// A failed write (the database is down, Akka.Persistence.Sql's write queue is full, the journal's circuit
/// breaker is open) may or may not have been stored, so Akka.Persistence stops the actor; sharding starts it
/// again (at once for the next message, else after its entity-restart-backoff) and it recovers what the
/// journal holds. Nothing that depended on the lost facts has happened (a dispatch, an answer to a parent
/// wait for durability), so the new incarnation re-decides them. What is added here: every caller waiting
/// on that write (a start, a cancel, a parent's batch of calls) hears <see cref="RunUnavailable"/> at once,
/// instead of waiting out its ask, and asks again (each of those commands is idempotent).
///
/// A rejected write was not stored and the actor goes on, but Akka.Persistence never calls the write's
/// handler, the only code that ends a write. The facts of that write are already applied in memory and
/// nothing that depends on them has been released; later facts wait behind it. So the run writes the same
/// events again, after a backoff, before anything recorded later: memory and journal agree again once it
/// is stored, and the journal keeps the order in which the facts were decided (recovery replays them in
/// that order). A journal rejects an atomic write whole, and a write is one atomic write
/// (<c>PersistAllAsync</c>), so either all its events are rejected or none. A write rejected again and again
/// (a rejection that is not transient) is given up as a failure: the run stops and recovers from its journal.
/// </summary>
internal sealed partial class RunActor
{
    private static readonly TimeSpan FirstRejectedWriteBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRejectedWriteBackoff = TimeSpan.FromSeconds(5);

    /// <summary>Times one write may be rejected before the run gives it up as failed (about a minute of backoff).</summary>
    private const int MaxRejectionsOfOneWrite = 15;

    /// <summary>The write in flight, so a rejected one can be written again as it was.</summary>
    private (IReadOnlyList<LedgerBatch> Events, Action<LedgerBatch> OnDurable)? _writeInFlight;

    private int _eventsRejectedOfWrite;
    private int _rejectionsOfWrite;
    private bool _writeFailed;

    /// <summary>
    /// Callers answered once a write is durable, with how many answers each awaits (a probe, or a sender
    /// that tells instead of asking, can await several): told <see cref="RunUnavailable"/> if the write fails.
    /// </summary>
    private readonly Dictionary<IActorRef, int> _callersAwaitingWrite = new();

    private void JournalFailureCommands() => Command<RetryRejectedWrite>(_ => WriteAgain());

    /// <summary>Writes the events of one group commit as one atomic write, remembering it in case it is rejected.</summary>
    private void PersistWrite(IReadOnlyList<LedgerBatch> events, Action<LedgerBatch> onDurable)
    {
        void Durable(LedgerBatch batch)
        {
            _writeInFlight = null;
            _rejectionsOfWrite = 0;
            onDurable(batch);
        }

        _writeInFlight = (events, Durable);
        _eventsRejectedOfWrite = 0;
        PersistAllAsync(events, Durable);
    }

    /// <summary>Answers <paramref name="caller"/> once what the current command recorded is durable.</summary>
    private void ReplyAfterWrite(IActorRef caller, Func<object> reply, Action<IActorRef, object>? deliver = null)
    {
        _callersAwaitingWrite[caller] = _callersAwaitingWrite.GetValueOrDefault(caller) + 1;
        AfterWrite(() =>
        {
            if (--_callersAwaitingWrite[caller] == 0) _callersAwaitingWrite.Remove(caller);
            if (deliver is null) caller.Tell(reply());
            else deliver(caller, reply());
        });
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        if (_writeInFlight is not { } write)
        {
            base.OnPersistRejected(cause, @event, sequenceNr);
            return;
        }
        // Called once per event of the rejected atomic write: act once all have been.
        if (++_eventsRejectedOfWrite < write.Events.Count) return;

        if (++_rejectionsOfWrite > MaxRejectionsOfOneWrite)
        {
            _log.Error(cause, "Run {0} stops: its journal rejected the same write {1} times ({2}); it starts again from its journal",
                State.RunId, _rejectionsOfWrite - 1, cause.Message);
            TellCallersUnavailable($"its journal rejected a write {_rejectionsOfWrite - 1} times: {cause.Message}");
            Context.Stop(Self);
            return;
        }
        var backoff = RejectedWriteBackoff(_rejectionsOfWrite);
        _log.Warning("Run {0}: its journal rejected a write of {1} event(s) ({2}); writing it again in {3:F1} s (rejection {4})",
            State.RunId, write.Events.Count, cause.Message, backoff.TotalSeconds, _rejectionsOfWrite);
        Timers.StartSingleTimer(nameof(RetryRejectedWrite), RetryRejectedWrite.Instance, backoff);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // Called once per event of the failed write; Akka.Persistence stops the actor after the first.
        if (_writeFailed) return;
        _writeFailed = true;
        _log.Error(cause, "Run {0} stops: a journal write failed ({1}); sharding starts it again from what its journal holds",
            State.RunId, cause.Message);
        TellCallersUnavailable($"its journal write failed: {cause.Message}");
    }

    private void WriteAgain()
    {
        if (_writeInFlight is not { } write) return;
        _eventsRejectedOfWrite = 0;
        PersistAllAsync(write.Events, write.OnDurable);
    }

    private void TellCallersUnavailable(string reason)
    {
        var unavailable = new RunUnavailable(State.RunId, reason);
        foreach (var (caller, answers) in _callersAwaitingWrite)
            for (var i = 0; i < answers; i++) caller.Tell(unavailable);
        _callersAwaitingWrite.Clear();
    }

    private static TimeSpan RejectedWriteBackoff(int rejections) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxRejectedWriteBackoff.TotalMilliseconds,
            FirstRejectedWriteBackoff.TotalMilliseconds * Math.Pow(2, rejections - 1)));

    private sealed class RetryRejectedWrite : INoSerializationVerificationNeeded
    {
        public static readonly RetryRejectedWrite Instance = new();
    }
}
