using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime.Placement;

namespace Fanout.Runtime;

/// <summary>
/// Where the run's attempts go: to executors its node's <see cref="ExecutorDirectory"/> lists, the less
/// loaded of two whose node has the action's role and that are not full (<see cref="ExecutorChooser"/>).
/// An action no live node may run waits (its summary says for what) and fails after
/// <see cref="RuntimeSettings.PlacementTimeout"/>; one whose every eligible node is full waits for room as
/// long as it takes (that is load, not a missing node). The run watches every executor
/// it sends to: when one dies with its node, the attempts it held start again elsewhere at once (each
/// counts as lost, against <see cref="RuntimeSettings.LostAttemptRetries"/>).
/// </summary>
internal sealed partial class RunActor
{
    // Also how soon an action that waits for room tries again (load reports come every 250 ms at most).
    private static readonly TimeSpan PlacementCheckInterval = TimeSpan.FromMilliseconds(250);

    private ImmutableArray<ExecutorEntry> _executors = [];
    private ExecutorChooser? _chooser;
    private readonly HashSet<IActorRef> _watchedExecutors = [];
    private readonly List<ActionRecord> _unplaced = [];

    private ExecutorChooser Chooser
    {
        get
        {
            _chooser ??= new ExecutorChooser(_settings.ActionSlots, Random.Shared);
            _chooser.Use(_executors);
            return _chooser;
        }
    }

    /// <summary>The executor for an action of <paramref name="role"/>; null when none may run it or all that may are full.</summary>
    private IActorRef? Place(string? role) => Chooser.Choose(role);

    /// <summary>Keeps the action until a node that may run it appears, or its wait times out.</summary>
    private void Park(ActionRecord action)
    {
        if (action.UnplacedSinceMs != 0) return;
        action.UnplacedSinceMs = NowMs();
        _unplaced.Add(action);
        if (!Timers.IsTimerActive("placement"))
            Timers.StartPeriodicTimer("placement", CheckPlacement.Instance, PlacementCheckInterval);
    }

    private void OnExecutorsChanged(ExecutorsChanged changed)
    {
        _executors = changed.Executors;
        PlaceWaiting();
    }

    /// <summary>Sends what waits for a node or for room to an executor that may take it now.</summary>
    private void PlaceWaiting()
    {
        if (_unplaced.Count == 0 || _state.IsFinished) return;

        foreach (var action in _unplaced.ToList())
        {
            IActorRef? executor = null;
            if (!action.IsFinished && (executor = Place(action.Options.Role)) is null) continue;
            _unplaced.Remove(action);
            action.UnplacedSinceMs = 0;
            if (executor is null) continue; // it ended while it waited
            // It was let in under the in-flight limit before it waited; the run may have filled up since.
            if (_inFlight < _settings.MaxInFlightPerRun || action.ParentId is null)
            {
                Record(new LedgerEntry(LedgerEntryKind.AttemptStarted, NowMs()) { ActionId = action.Id, Attempt = action.Attempts + 1 });
                Send(action, executor!);
            }
            else
            {
                Queue(action);
            }
        }
        if (_unplaced.Count == 0) Timers.Cancel("placement");
        Flush();
    }

    /// <summary>
    /// Reports from an executor: what ended no longer loads it, and when it turned attempts away (its queue is
    /// full) nothing more goes to it until it reports room.
    /// </summary>
    private void ExecutorReported(IActorRef executor, AttemptsFinished finished)
    {
        if (finished.Full) Chooser.TurnedAway(executor);
        Chooser.Ended(executor, finished.Full ? finished.Attempts.Count(a => a.Error?.Type != Execution.ActionExecutor.TurnedAwayType) : finished.Attempts.Count);
    }

    /// <summary>Leaves the executor out until the directory's next list (it handed attempts back: it is likely leaving).</summary>
    private void AvoidExecutor(IActorRef executor)
    {
        var remaining = _executors.RemoveAll(e => e.Executor.Equals(executor));
        if (remaining.Length != _executors.Length) _executors = remaining;
    }

    private void WatchExecutor(IActorRef executor)
    {
        if (_watchedExecutors.Add(executor)) Context.Watch(executor);
    }

    /// <summary>The executor died (its node was downed, or its process stopped): its attempts start elsewhere.</summary>
    private void OnExecutorLost(IActorRef executor)
    {
        if (!_watchedExecutors.Remove(executor)) return;
        AvoidExecutor(executor);
        ForgetDeliveriesTo(executor);
        if (_state.IsFinished || !_state.HasUnfinishedActions) return;

        var lost = _state.Actions
            .Where(a => a is { IsFinished: false, Status: ActionStatus.Running, DispatchedHere: true, UnplacedSinceMs: 0, InPendingQueue: false }
                        && executor.Equals(a.Executor))
            .ToList();
        if (lost.Count == 0) return;
        _log.Warning("Run {0}: executor {1} is gone with {2} attempt(s) of this run; they start again on other nodes",
            _state.RunId, executor.Path, lost.Count);
        foreach (var action in lost)
        {
            ReleaseInFlightSlot(action);
            action.Executor = null;
            if (!action.IsFinished && !action.InPendingQueue) StartNextAttempt(action);
        }
        Flush();
    }

    /// <summary>Places what can go now; fails what waited past the placement timeout for a node that may run it.</summary>
    private void FailUnplacedPastTimeout()
    {
        PlaceWaiting();
        var now = NowMs();
        // Waiting for room on a live node is not waiting for a node: its clock starts when no node may run it.
        foreach (var action in _unplaced)
        {
            if (Chooser.AnyMayRun(action.Options.Role)) action.UnplacedSinceMs = now;
        }
        var deadline = now - (long)_settings.PlacementTimeout.TotalMilliseconds;
        foreach (var action in _unplaced.Where(a => a.IsFinished || a.UnplacedSinceMs <= deadline).ToList())
        {
            _unplaced.Remove(action);
            action.UnplacedSinceMs = 0;
            if (action.IsFinished) continue;
            Record(new LedgerEntry(LedgerEntryKind.ActionFailed, NowMs())
            {
                ActionId = action.Id,
                Error = new ErrorInfo("Fanout.NoNodeForRole",
                    $"No live node {DescribeRole(action.Options.Role)} came to run {action.TaskName} within " +
                    $"{_settings.PlacementTimeout} (FanoutRuntimeOptions.PlacementTimeout)", null),
            });
            AfterWriteEnded(action);
        }
        if (_unplaced.Count == 0) Timers.Cancel("placement");
        Flush();
    }

    /// <summary>What the run waits for, for its summary; null when nothing waits for a node.</summary>
    private string? DescribeUnplaced()
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
                       $"they fail at {since + _settings.PlacementTimeout:u})";
            });
        return string.Join("; ", parts);
    }

    private static string DescribeRole(string? role) => role is null ? "(any worker)" : $"with role '{role}'";

    private sealed class CheckPlacement : INoSerializationVerificationNeeded
    {
        public static readonly CheckPlacement Instance = new();
    }
}
