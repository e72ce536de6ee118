using System.Collections.Immutable;
using Akka.Actor;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime.Execution;
using Fanout.Runtime.Placement;

namespace Fanout.Runtime;

/// <summary>
/// Where the run's attempts go: to the executors its node's <see cref="ExecutorDirectory"/> lists, the less
/// loaded of two whose node has the action's role and that are not full (<see cref="ExecutorChooser"/>).
/// An action no live node may run waits (the run's summary says for what) and fails after
/// <see cref="RuntimeSettings.PlacementTimeout"/>; one whose every eligible node is full waits for room as
/// long as it takes (that is load, not a missing node). When an executor dies with its node, the attempts
/// it held start again elsewhere at once (each counts as lost).
/// </summary>
internal sealed partial class RunCore
{
    private ImmutableArray<ExecutorEntry> _executors = [];
    private ExecutorChooser? _chooser;
    private readonly List<ActionRecord> _unplaced = [];

    private ExecutorChooser Chooser
    {
        get
        {
            _chooser ??= new ExecutorChooser(settings.ActionSlots, Random.Shared);
            _chooser.Use(_executors);
            return _chooser;
        }
    }

    /// <summary>The directory's new list: actions that waited for a node that may run them start now.</summary>
    public void OnExecutorsChanged(ImmutableArray<ExecutorEntry> executors)
    {
        _executors = executors;
        PlaceWaiting();
    }

    /// <summary>
    /// An executor's reports: what ended no longer loads it, and when it turned attempts away (its queue is
    /// full) nothing more goes to it until it reports room.
    /// </summary>
    public void OnReportsFrom(IActorRef executor, AttemptsFinished finished)
    {
        if (finished.Full) Chooser.TurnedAway(executor);
        Chooser.Ended(executor, finished.Full
            ? finished.Attempts.Count(a => a.Error?.Type != ActionExecutor.TurnedAwayType)
            : finished.Attempts.Count);
    }

    /// <summary>Starts what waits for a node (or for room on a full one) where it can go now; the rest keep waiting, clocks untouched.</summary>
    private void PlaceWaiting()
    {
        if (_unplaced.Count == 0 || State.IsFinished) return;
        var waiting = _unplaced.ToList();
        _unplaced.Clear();
        foreach (var action in waiting)
        {
            if (action.IsFinished) continue;
            if (!Chooser.AnyMayRun(action.Options.Role) || Chooser.AllFull(action.Options.Role))
            {
                _unplaced.Add(action);
                continue;
            }
            action.UnplacedSinceMs = 0;
            // It was let in under the limit before it waited; the run may have filled up since (then it queues).
            StartNextAttempt(action);
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
        PlaceWaiting();
        var now = nowMs();
        // Waiting for room on a live node is not waiting for a node: the clock runs only while none may run it.
        foreach (var action in _unplaced)
            if (Chooser.AnyMayRun(action.Options.Role)) action.UnplacedSinceMs = now;
        var deadline = now - (long)settings.PlacementTimeout.TotalMilliseconds;
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
                if (Chooser.AllFull(g.Key))
                    return $"{g.Count()} action(s) wait for room: every node {DescribeRole(g.Key)} is full " +
                           "(FanoutRuntimeOptions.MaxWaitingActions)";
                var since = DateTimeOffset.FromUnixTimeMilliseconds(g.Min(a => a.UnplacedSinceMs));
                return $"{g.Count()} action(s) wait for a live node {DescribeRole(g.Key)} (since {since:u}; " +
                       $"they fail at {since + settings.PlacementTimeout:u})";
            });
        return string.Join("; ", parts);
    }

    /// <summary>The executor for an action of <paramref name="role"/>; null when none may run it or all that may are full.</summary>
    private ExecutorEntry? Place(string? role) => Chooser.ChooseEntry(role);

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
