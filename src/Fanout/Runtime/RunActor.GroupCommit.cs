using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// The run's group commit: facts apply to memory at once and wait in <c>_unwritten</c>; one journal write
/// carries all that gathered while the previous write was in flight; what depends on a fact (dispatching
/// an attempt, answering a parent) waits in <see cref="WriteEffects"/> until the write that holds it is durable.
/// </summary>
internal sealed partial class RunActor
{
    private const int MaxEntriesPerEvent = 2000;
    private const long MaxEventBytes = 512 * 1024;
    private const int MaxOutcomesPerMessage = 200;
    private const long MaxMessageBytes = 64 * 1024; // half of Akka.Remote's default frame

    private bool NothingToWait => _unwritten.Count == 0 && !_writing;

    private void AfterWrite(Action effect)
    {
        if (NothingToWait) effect();
        else _afterWrite.Effects.Add(effect);
    }

    private void SendNow(ActionRecord action, int attempt)
    {
        // Ended or moved on meanwhile (cancelled with the run, say): the attempt must not run.
        if (action.IsFinished || action.Attempts != attempt || action.Executor is not { } executor) return;
        QueueDispatch(action, attempt, executor);
        TrackSent(action, attempt, executor);
    }

    /// <summary>Sends the attempt with the others the same write made ready, when the outbox is flushed.</summary>
    private void QueueDispatch(ActionRecord action, int attempt, IActorRef executor)
    {
        if (!_dispatches.TryGetValue(executor, out var batch)) _dispatches[executor] = batch = [];
        batch.Add(_traces.Stamp(
            new ExecuteAction(action.Id, State.RunId, action.TaskName, action.InputJson, attempt, action.Options.TimeoutMs), action));
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
            if (_afterWrite.IsEmpty) break;
            var ready = _afterWrite;
            _afterWrite = new WriteEffects();
            RunEffects(ready);
        }
        FlushOutbox();
        StopIfWritten();
    }

    private void StartWrite()
    {
        var events = WeightedChunks
            .Split(_unwritten, MaxEntriesPerEvent, MaxEventBytes, e => WeightedChunks.Of(e.InputJson, e.ResultJson, e.Error))
            .Select(chunk => new LedgerBatch(chunk))
            .ToList();
        var entries = _unwritten.Count;
        _unwritten.Clear();
        CopyStateIfSnapshotDue(entries);

        // The effects of this write go with it; effects of facts recorded while it is in flight gather anew.
        var done = _afterWrite;
        _afterWrite = new WriteEffects();
        _writing = true;
        var remaining = events.Count;
        var startedAt = Diagnostics.RunMetrics.MeasuresJournal ? Diagnostics.RunMetrics.Timestamp() : 0;
        PersistWrite(events, _ =>
        {
            if (--remaining > 0) return;
            _writing = false;
            if (startedAt != 0) Diagnostics.RunMetrics.JournalWritten(System.Diagnostics.Stopwatch.GetElapsedTime(startedAt), entries);
            _entriesSinceSnapshot += entries;
            SaveSnapshotOfThisWrite();
            RunEffects(done);
            IndexProgress();
            Flush();
        });
    }

    private void RunEffects(WriteEffects effects)
    {
        foreach (var (action, attempt) in effects.Sends) SendNow(action, attempt);
        foreach (var action in effects.Ended) _core.OnOutcomeDurable(action);
        foreach (var effect in effects.Effects) effect();
    }

    /// <summary>Sends a child's outcome to the executor awaiting it, and keeps it until that executor acknowledges it.</summary>
    private void Enqueue(IActorRef executor, string parentId, ChildOutcome outcome)
    {
        AddToOutbox(executor, parentId, outcome);
        TrackOutcome(executor, parentId, outcome);
    }

    private void AddToOutbox(IActorRef executor, string parentId, ChildOutcome outcome)
    {
        if (!_outbox.TryGetValue((executor, parentId), out var outcomes)) _outbox[(executor, parentId)] = outcomes = [];
        outcomes.Add(outcome);
    }

    private void FlushOutbox()
    {
        foreach (var (executor, batch) in _dispatches)
        {
            if (batch.Count == 1)
            {
                executor.Tell(batch[0]);
                continue;
            }
            foreach (var chunk in WeightedChunks.Split(batch, MaxOutcomesPerMessage, MaxMessageBytes, e => WeightedChunks.Of(e.InputJson, e.ActionId)))
                executor.Tell(new ExecuteActions(chunk));
        }
        _dispatches.Clear();

        foreach (var ((executor, parentId), outcomes) in _outbox)
        {
            var chunks = WeightedChunks.SplitForWire(outcomes, MaxOutcomesPerMessage, MaxMessageBytes,
                o => WeightedChunks.Of(o.ResultJson, o.ActionId, o.Error), TooLargeToSend.Outcome);
            foreach (var chunk in chunks) executor.Tell(new ChildResults(parentId, chunk));
        }
        _outbox.Clear();
    }

    /// <summary>What waits for one journal write to be durable.</summary>
    private sealed class WriteEffects
    {
        public List<(ActionRecord Action, int Attempt)> Sends { get; } = [];
        public List<ActionRecord> Ended { get; } = [];
        public List<Action> Effects { get; } = [];
        public bool IsEmpty => Sends.Count == 0 && Ended.Count == 0 && Effects.Count == 0;
    }
}
