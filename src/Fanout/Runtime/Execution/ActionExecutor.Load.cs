using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Fanout.Clustering;
using Fanout.Protocol;

namespace Fanout.Runtime.Execution;

/// <summary>
/// The executor's bounded queue and its load reports. When every slot is busy and
/// <see cref="RuntimeSettings.MaxWaitingActions"/> attempts already wait, a new attempt is handed straight
/// back to its run as interrupted (so it costs the action neither a retry nor a lost attempt) and the
/// report says the node is full, so the run sends it nothing new until it hears it has room. Every
/// <see cref="RuntimeSettings.LoadReportInterval"/>, when its load changed (and every second anyway, for
/// directories that started since), it tells every worker's <see cref="ExecutorDirectory"/> how loaded it
/// is; runs place on the least loaded executor from that.
/// <para>
/// Turning away cannot wedge a run: no body waits for an attempt in a queue while it holds a slot (a parent
/// gives its slot back with its first child call, and only then waits), so running bodies always end and
/// make room, and a run whose every eligible node is full waits for room without a deadline.
/// </para>
/// </summary>
internal sealed partial class ActionExecutor
{
    /// <summary>The error type of an attempt turned away because the queue was full.</summary>
    internal const string TurnedAwayType = "Fanout.NodeFull";
    private const long LoadRefreshMs = 1_000;

    private (int Running, int Waiting, bool Full) _reportedLoad;
    private long _loadReportedAtMs = long.MinValue;

    private bool IsFull => _busySlots >= _settings.ActionSlots && _waitingCount >= _settings.MaxWaitingActions;

    private void TurnAway(ExecuteAction execute) =>
        QueueReport(new ExecutorAttempt(execute).Interrupted(
            $"was turned away: its node's queue is full ({_waitingCount} attempt(s) wait for {_settings.ActionSlots} busy slot(s))",
            TurnedAwayType));

    private static bool IsTurnedAway(AttemptFinished report) => report.Error?.Type == TurnedAwayType;

    private void ReportLoad()
    {
        if (_draining is not null) return; // every directory already leaves it out
        var now = NowMs();
        var load = (Running: _busySlots, Waiting: _waitingCount, Full: IsFull);
        if (load == _reportedLoad && now - _loadReportedAtMs < LoadRefreshMs) return;
        if (load.Full != _reportedLoad.Full)
        {
            if (load.Full) _log.Info("Queue full ({0} waiting, {1} slots busy): new attempts are handed back to their runs", load.Waiting, load.Running);
            else _log.Info("Queue has room again ({0} waiting)", load.Waiting);
        }
        _reportedLoad = load;
        _loadReportedAtMs = now;

        var message = new ExecutorLoad(Self, load.Running, load.Waiting, _settings.ActionSlots, _settings.MaxWaitingActions, load.Full);
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
        {
            foreach (var member in Akka.Cluster.Cluster.Get(Context.System).State.Members)
            {
                if (member.Status == MemberStatus.Up && member.HasRole(FanoutRoles.Worker))
                    Context.ActorSelection(new RootActorPath(member.Address) / "user" / ExecutorDirectory.Name).Tell(message);
            }
        }
        else
        {
            // Not a cluster (actor specs): the local directory, if any.
            Context.ActorSelection("/user/" + ExecutorDirectory.Name).Tell(message);
        }
    }

    private sealed class LoadDue : INoSerializationVerificationNeeded
    {
        public static readonly LoadDue Instance = new();
    }
}
