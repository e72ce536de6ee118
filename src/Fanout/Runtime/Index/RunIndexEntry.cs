using Fanout.Protocol;

namespace Fanout.Runtime.Index;

/// <summary>
/// One run's row in the runs index, as the run writes it from its durable state. <see cref="Version"/> is the
/// run's journal sequence number when the row was made: a row never replaces one made from later facts, so a
/// late write (a retry, an incarnation on another node) cannot turn a finished run back into a running one.
/// <see cref="CallerChosenId"/> is null when this incarnation does not know (it learns it only from the start):
/// the index then keeps what it holds.
/// </summary>
internal sealed record RunIndexEntry(
    string RunId,
    string TaskName,
    RunStatus Status,
    long StartedAtMs,
    long? FinishedAtMs,
    int TotalActions,
    IReadOnlyDictionary<ActionStatus, int> Counts,
    ErrorInfo? Error,
    bool? CallerChosenId,
    long Version)
{
    /// <summary>The row of a run's current state; null when the run does not exist (it was never started).</summary>
    public static RunIndexEntry? Of(RunState state, bool? callerChosenId, long version)
    {
        if (!state.Exists) return null;
        var counts = new Dictionary<ActionStatus, int>();
        foreach (var status in Enum.GetValues<ActionStatus>())
            if (state.CountOf(status) is > 0 and var n) counts[status] = n;
        return new RunIndexEntry(state.RunId, state.RootTask!, state.Status, state.StartedAtMs,
            state.FinishedAtMs > 0 ? state.FinishedAtMs : null, state.ActionCount, counts,
            state.Status == RunStatus.Failed ? state.Root?.Error : null, callerChosenId, version);
    }
}
