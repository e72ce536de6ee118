using Akka.Actor;
using Fanout.Runtime.Index;

namespace Fanout.Runtime;

/// <summary>
/// The run's row in the runs index, handed to the node's <see cref="RunsIndexWriter"/> (which batches the rows of
/// every run on the node): when its start is journaled, before the start is answered; while it runs, at most once
/// per <see cref="IndexInterval"/>, after a journal write; when its end is durable; and when it recovers. Only the
/// start's answer waits for the row; the run itself never does.
/// </summary>
internal sealed partial class RunActor
{
    private static readonly TimeSpan IndexInterval = TimeSpan.FromSeconds(1);

    private readonly IActorRef? _index;
    // Known from the start this incarnation handled; null after a recovery (the row keeps what it had).
    private bool? _callerChosenId;
    private long _indexedAtMs = long.MinValue / 2;
    // Whether the run's end (when it has ended) is durable: recovered, or past the write that recorded it.
    private bool _endDurable;

    /// <summary>Answers a start once the run's row is durable, so an answered start is always in the index.</summary>
    private void IndexThenReply(IActorRef caller, object reply)
    {
        if (_index is null || Row() is not { } row)
        {
            caller.Tell(reply);
            return;
        }
        _index.Tell(new RunsIndexWriter.IndexRun(row, [(caller, reply)]));
        _indexedAtMs = NowMs();
    }

    /// <summary>After a journal write: the row, unless one went less than <see cref="IndexInterval"/> ago (then once that has passed).</summary>
    private void IndexProgress()
    {
        if (_index is null) return;
        var due = _indexedAtMs + (long)IndexInterval.TotalMilliseconds;
        var now = NowMs();
        if (now >= due) IndexNow();
        else if (!Timers.IsTimerActive("index")) Timers.StartSingleTimer("index", IndexDue.Instance, TimeSpan.FromMilliseconds(due - now));
    }

    private void IndexNow()
    {
        if (_index is null || Row() is not { } row) return;
        Timers.Cancel("index");
        _index.Tell(new RunsIndexWriter.IndexRun(row));
        _indexedAtMs = NowMs();
    }

    /// <summary>
    /// The row of the run's state. Facts apply to memory before they are durable, so a run whose end is not yet
    /// durable is still written as running: the index must not call finished (and purgeable) a run that may resume.
    /// </summary>
    private RunIndexEntry? Row()
    {
        var row = RunIndexEntry.Of(State, _callerChosenId, LastSequenceNr);
        if (row is null || row.Status == RunStatus.Running || _endDurable) return row;
        return row with { Status = RunStatus.Running, FinishedAtMs = null, Error = null };
    }

    private sealed class IndexDue : INoSerializationVerificationNeeded
    {
        public static readonly IndexDue Instance = new();
    }
}
