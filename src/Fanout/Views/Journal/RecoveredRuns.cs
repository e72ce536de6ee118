using System.Diagnostics;
using Fanout.Runtime;

namespace Fanout.Views.Journal;

/// <summary>
/// The runs recovered from a journal, kept so the next page of a run is read from memory. A finished run never changes,
/// so it stays until the cache needs room (least recently used first, bounded by the actions held in all); an
/// unfinished one (or an id with nothing journaled yet) is recovered again when asked after
/// <see cref="RefreshUnfinishedAfter"/>, so a journal that a live process is still writing is followed.
/// </summary>
internal sealed class RecoveredRuns(Func<string, Task<RunState>> recover, long maxActions, TimeSpan refreshUnfinishedAfter)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _byUse = new(); // most recently used first
    private long _actions;

    public TimeSpan RefreshUnfinishedAfter { get; } = refreshUnfinishedAfter;

    /// <summary>How many recoveries have started (the specs see a finished run recovered once).</summary>
    public int Recoveries { get; private set; }

    /// <summary>The run as the journal holds it (or held it at most <see cref="RefreshUnfinishedAfter"/> ago, if unfinished).</summary>
    public async Task<RunState> GetAsync(string runId, CancellationToken ct)
    {
        Entry entry;
        lock (_lock)
        {
            if (_entries.TryGetValue(runId, out var node) && IsCurrent(node.Value))
            {
                _byUse.Remove(node);
                _byUse.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                if (node is not null) Remove(node);
                entry = new Entry(runId, recover(runId), Stopwatch.GetTimestamp());
                Recoveries++;
                _entries[runId] = _byUse.AddFirst(entry);
            }
        }

        RunState state;
        try
        {
            state = await entry.Recovery.WaitAsync(ct).ConfigureAwait(false);
        }
        catch when (entry.Recovery.IsFaulted)
        {
            lock (_lock)
            {
                if (_entries.TryGetValue(runId, out var failed) && failed.Value == entry) Remove(failed); // asked again, tried again
            }
            throw;
        }
        lock (_lock)
        {
            if (entry.Actions < 0 && _entries.TryGetValue(runId, out var held) && held.Value == entry)
            {
                entry.Actions = state.ActionCount;
                _actions += state.ActionCount;
                Evict(keep: held);
            }
        }
        return state;
    }

    private bool IsCurrent(Entry entry) =>
        !entry.Recovery.IsCompleted // a recovery under way is as fresh as it gets
        || entry.Recovery.IsCompletedSuccessfully && (entry.Recovery.Result.IsFinished
            || Stopwatch.GetElapsedTime(entry.StartedAt) < RefreshUnfinishedAfter);

    private void Evict(LinkedListNode<Entry> keep)
    {
        for (var node = _byUse.Last; node is not null && _actions > maxActions;)
        {
            var newer = node.Previous;
            // A recovery under way holds nothing counted yet; the run just asked for stays even alone over the bound.
            if (node != keep && node.Value.Actions >= 0) Remove(node);
            node = newer;
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _byUse.Remove(node);
        _entries.Remove(node.Value.RunId);
        if (node.Value.Actions > 0) _actions -= node.Value.Actions;
    }

    private sealed class Entry(string runId, Task<RunState> recovery, long startedAt)
    {
        public string RunId { get; } = runId;
        public Task<RunState> Recovery { get; } = recovery;
        public long StartedAt { get; } = startedAt;

        /// <summary>The run's actions once recovered and counted in the cache's total; -1 until then.</summary>
        public int Actions { get; set; } = -1;
    }
}
