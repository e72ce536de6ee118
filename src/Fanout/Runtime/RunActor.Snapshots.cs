using Akka.Actor;
using Akka.Persistence;
using Akka.Event;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Snapshots, so a run of a million actions recovers from one compact binary snapshot and the entries
/// after it instead of every JSON entry since it started. A run snapshots when the entries written since
/// its last snapshot reach its number of actions (and at least <see cref="RuntimeSettings.SnapshotAfterEntries"/>):
/// a growing run snapshots each time it about doubles, so all its snapshots together cost about two
/// snapshots of its final size, and recovery replays at most as many entries as the run has actions.
/// The journal rows a snapshot covers are deleted, with older snapshots.
/// </summary>
internal sealed partial class RunActor
{
    /// <summary>
    /// The state encoded when a write started, which is what the journal holds once that write is durable
    /// (facts recorded while it is in flight go into the next write, so they are not in it).
    /// </summary>
    private EncodedRunSnapshot? _snapshotOfThisWrite;

    /// <summary>The entries since the last snapshot when the one being saved was taken.</summary>
    private long _entriesAtSnapshot;

    /// <summary>Called as a write starts: encodes the state if a snapshot is due once the write is durable.</summary>
    private void CopyStateIfSnapshotDue(int entriesInWrite)
    {
        if (_snapshotting) return;
        var entries = _entriesSinceSnapshot + entriesInWrite;
        if (entries < Math.Max(_settings.SnapshotAfterEntries, State.ActionCount)) return;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _snapshotOfThisWrite = State.Encode();
        _log.Debug("Run {0} encoded a snapshot of {1} action(s), {2:N0} bytes, in {3:F0} ms", State.RunId,
            State.ActionCount, _snapshotOfThisWrite.Bytes.Length, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Called once a write is durable: saves the snapshot encoded when it started, if one was.</summary>
    private void SaveSnapshotOfThisWrite()
    {
        if (_snapshotOfThisWrite is not { } snapshot) return;
        _snapshotOfThisWrite = null;
        _snapshotting = true;
        _entriesAtSnapshot = _entriesSinceSnapshot;
        SaveSnapshot(snapshot);
    }

    private void OnSnapshotSaved(SaveSnapshotSuccess saved)
    {
        _snapshotting = false;
        _entriesSinceSnapshot -= _entriesAtSnapshot;
        var upTo = saved.Metadata.SequenceNr;
        _log.Debug("Run {0} saved a snapshot at journal position {1}", State.RunId, upTo);
        DeleteMessages(upTo);
        DeleteSnapshots(new SnapshotSelectionCriteria(upTo - 1));
    }

    /// <summary>How the run actor recovered, and its in-flight limit's state, for tests.</summary>
    internal sealed record RecoveryStats(long EntriesReplayed, int InFlight, int Queued) : INoSerializationVerificationNeeded;

    /// <summary>Asks a run for its <see cref="RecoveryStats"/>. Local only.</summary>
    internal sealed record GetRecoveryStats(string RunId) : IRunMessage, INoSerializationVerificationNeeded;
}
