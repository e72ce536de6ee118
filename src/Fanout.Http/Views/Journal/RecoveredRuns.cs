using System.Diagnostics;
using Fanout.Runtime;

namespace Fanout.Views.Journal;

/// <summary>
/// The runs recovered from a journal, kept so the next page of a run is read from memory. A finished run never changes,
/// so it stays until the cache needs room (least recently used first, bounded by the actions held in all). An unfinished
/// one (or an id with nothing journaled yet) is looked at again when asked after <see cref="RefreshUnfinishedAfter"/>:
/// recovered anew if its journal has moved on (<see cref="RunJournalPosition"/>), so a journal that a live process is
/// still writing is followed, and kept as it is if not (a run left by a killed process).
/// </summary>
internal sealed class RecoveredRuns(
    Func<string, Task<RunState>> recover, Func<string, CancellationToken, Task<long>> position, long maxActions, TimeSpan refreshUnfinishedAfter)
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
        var held = Current(runId, out var stale);
        if (held is not null) return await AwaitAsync(held, ct).ConfigureAwait(false);

        // Read before recovering: a write while the recovery reads moves the journal past it, so the next look recovers again.
        var journaled = await position(runId, ct).ConfigureAwait(false);
        Entry entry;
        lock (_lock)
        {
            if (stale is not null && stale.Position == journaled && _entries.TryGetValue(runId, out var node) && node.Value == stale)
            {
                stale.CheckedAt = Stopwatch.GetTimestamp(); // nothing written since: what we hold is the run now
                return stale.Recovery.Result;
            }
            if (_entries.TryGetValue(runId, out var other) && IsCurrent(other.Value)) entry = other.Value; // someone else was quicker
            else
            {
                if (other is not null) Remove(other);
                entry = new Entry(runId, recover(runId), journaled);
                Recoveries++;
                _entries[runId] = _byUse.AddFirst(entry);
            }
        }
        return await AwaitAsync(entry, ct).ConfigureAwait(false);
    }

    /// <summary>The entry to answer from, or null with the stale one (if any) whose journal must be looked at.</summary>
    private Entry? Current(string runId, out Entry? stale)
    {
        lock (_lock)
        {
            stale = null;
            if (!_entries.TryGetValue(runId, out var node)) return null;
            _byUse.Remove(node);
            _byUse.AddFirst(node);
            if (IsCurrent(node.Value)) return node.Value;
            if (node.Value.Recovery.IsCompletedSuccessfully) stale = node.Value;
            return null;
        }
    }

    private async Task<RunState> AwaitAsync(Entry entry, CancellationToken ct)
    {
        RunState state;
        try
        {
            state = await entry.Recovery.WaitAsync(ct).ConfigureAwait(false);
        }
        catch when (entry.Recovery.IsFaulted)
        {
            lock (_lock)
            {
                if (_entries.TryGetValue(entry.RunId, out var failed) && failed.Value == entry) Remove(failed); // asked again, tried again
            }
            throw;
        }
        lock (_lock)
        {
            if (entry.Actions < 0 && _entries.TryGetValue(entry.RunId, out var held) && held.Value == entry)
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
            || Stopwatch.GetElapsedTime(entry.CheckedAt) < RefreshUnfinishedAfter);

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

    private sealed class Entry(string runId, Task<RunState> recovery, long position)
    {
        public string RunId { get; } = runId;
        public Task<RunState> Recovery { get; } = recovery;

        /// <summary>The run's journal position read just before this recovery started.</summary>
        public long Position { get; } = position;

        /// <summary>When the journal was last known to hold what this entry holds (at first, the recovery's start).</summary>
        public long CheckedAt { get; set; } = Stopwatch.GetTimestamp();

        /// <summary>The run's actions once recovered and counted in the cache's total; -1 until then.</summary>
        public int Actions { get; set; } = -1;
    }
}
