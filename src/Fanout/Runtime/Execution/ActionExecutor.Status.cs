using Fanout.Clustering;

namespace Fanout.Runtime.Execution;

/// <summary>The executor's answer to an operator asking how loaded it is, and by which runs.</summary>
internal sealed partial class ActionExecutor
{
    /// <summary>At most this many runs are listed; an executor may hold attempts of thousands of small runs.</summary>
    private const int MaxRunsInStatus = 100;

    private ExecutorStatus Status()
    {
        var byRun = new Dictionary<string, (int Busy, int Waiting)>(StringComparer.Ordinal);
        foreach (var attempt in _attempts.Values)
        {
            if (!attempt.HoldsSlot && !attempt.IsWaiting) continue; // a parent waiting for its children
            var counts = byRun.GetValueOrDefault(attempt.Execute.RunId);
            byRun[attempt.Execute.RunId] = attempt.HoldsSlot ? (counts.Busy + 1, counts.Waiting) : (counts.Busy, counts.Waiting + 1);
        }
        var runs = byRun
            .OrderByDescending(r => r.Value.Busy + r.Value.Waiting).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(MaxRunsInStatus)
            .Select(r => new RunLoad(r.Key, r.Value.Busy, r.Value.Waiting))
            .ToList();
        return new ExecutorStatus(_settings.ActionSlots, _busySlots, _waitingCount, _settings.MaxWaitingActions, _draining is not null, runs);
    }
}
