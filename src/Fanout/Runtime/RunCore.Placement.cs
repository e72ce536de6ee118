using System.Collections.Immutable;
using Akka.Actor;
using Fanout.Clustering;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Where the run's attempts go: to the executors its node's <see cref="ExecutorDirectory"/> lists, taking
/// turns among those whose node has the action's role. An action no live node may run waits (the run's
/// summary says for what) and fails after <see cref="RuntimeSettings.PlacementTimeout"/>. When an executor
/// dies with its node, the attempts it held start again elsewhere at once (each counts as lost).
/// </summary>
internal sealed partial class RunCore
{
    private ImmutableArray<ExecutorEntry> _executors = [];
    private int _nextExecutor;
    private readonly List<ActionRecord> _unplaced = [];

    /// <summary>The executors attempts may go to now.</summary>
    public ImmutableArray<ExecutorEntry> Executors => _executors;

    /// <summary>The directory's new list: actions that waited for a node that may run them start now.</summary>
    public void OnExecutorsChanged(ImmutableArray<ExecutorEntry> executors)
    {
        _executors = executors;
        // Each run starts its turns at a different executor, or every run's root (a parent, long-lived)
        // would go to the first one.
        _nextExecutor = executors.Length == 0 ? 0 : Random.Shared.Next(executors.Length);
        if (_unplaced.Count == 0 || State.IsFinished) return;

        foreach (var action in _unplaced.ToList())
        {
            if (!action.IsFinished && !_executors.Any(e => e.CanRun(action.Options.Role))) continue;
            Unpark(action);
            // It was let in under the limit before it waited; the run may have filled up since (then it queues).
            if (!action.IsFinished) StartNextAttempt(action);
        }
        if (_unplaced.Count == 0) effects.CheckPlacementPeriodically(false);
    }

    /// <summary>Leaves the executor out until the directory's next list (it handed attempts back: it is likely leaving).</summary>
    public void Avoid(IActorRef executor)
    {
        var remaining = _executors.RemoveAll(e => e.Executor.Equals(executor));
        if (remaining.Length != _executors.Length) _executors = remaining;
    }

    /// <summary>
    /// The executor died (its node was downed, or its process stopped): the attempts it held start again
    /// elsewhere. Returns how many there were.
    /// </summary>
    public int OnExecutorLost(IActorRef executor)
    {
        Avoid(executor);
        if (State.IsFinished || !State.HasUnfinishedActions) return 0;

        var lost = State.Actions
            .Where(a => a is { IsFinished: false, Status: ActionStatus.Running, Tracking: Tracking.Sent } && executor.Equals(a.Executor))
            .ToList();
        foreach (var action in lost)
        {
            ReleaseInFlightSlot(action);
            action.Executor = null;
            StartNextAttempt(action);
        }
        return lost.Count;
    }

    /// <summary>Fails the actions that waited for a node longer than the placement timeout.</summary>
    public void FailUnplacedPastTimeout()
    {
        var deadline = nowMs() - (long)settings.PlacementTimeout.TotalMilliseconds;
        foreach (var action in _unplaced.Where(a => a.IsFinished || a.UnplacedSinceMs <= deadline).ToList())
        {
            Unpark(action);
            if (action.IsFinished) continue;
            Record(new LedgerEntry(LedgerEntryKind.ActionFailed, nowMs())
            {
                ActionId = action.Id,
                Error = new ErrorInfo("Fanout.NoNodeForRole",
                    $"No live node {DescribeRole(action.Options.Role)} came to run {action.TaskName} within " +
                    $"{settings.PlacementTimeout} (FanoutRuntimeOptions.PlacementTimeout)", null),
            });
            effects.EndedAfterWrite(action);
        }
        if (_unplaced.Count == 0) effects.CheckPlacementPeriodically(false);
    }

    /// <summary>What the run waits for, for its summary; null when nothing waits for a node.</summary>
    public string? DescribeUnplaced()
    {
        if (_unplaced.Count == 0) return null;
        var parts = _unplaced
            .GroupBy(a => a.Options.Role)
            .Select(g =>
            {
                var since = DateTimeOffset.FromUnixTimeMilliseconds(g.Min(a => a.UnplacedSinceMs));
                return $"{g.Count()} action(s) wait for a live node {DescribeRole(g.Key)} (since {since:u}; " +
                       $"they fail at {since + settings.PlacementTimeout:u})";
            });
        return string.Join("; ", parts);
    }

    /// <summary>The next executor, in turn, that may run an action of <paramref name="role"/>; null when none.</summary>
    private IActorRef? Place(string? role)
    {
        var count = _executors.Length;
        for (var i = 0; i < count; i++)
        {
            var index = (_nextExecutor + i) % count;
            if (!_executors[index].CanRun(role)) continue;
            _nextExecutor = (index + 1) % count;
            return _executors[index].Executor;
        }
        return null;
    }

    /// <summary>Keeps the action until a node that may run it appears, or its wait times out.</summary>
    private void Park(ActionRecord action)
    {
        action.Tracking = Tracking.WaitingForNode;
        action.UnplacedSinceMs = nowMs();
        _unplaced.Add(action);
        if (_unplaced.Count == 1) effects.CheckPlacementPeriodically(true);
    }

    private void Unpark(ActionRecord action)
    {
        _unplaced.Remove(action);
        action.UnplacedSinceMs = 0;
    }

    private static string DescribeRole(string? role) => role is null ? "(any worker)" : $"with role '{role}'";
}
