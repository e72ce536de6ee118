using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Fanout.Clustering;

namespace Fanout.Runtime.Execution;

/// <summary>
/// The executor's part in a graceful leave (SIGTERM, dispose): it tells every node's directory to send it
/// nothing new, hands parents and waiting attempts back to their runs at once (a parent may wait for
/// hours; its children keep running and it re-attaches to them elsewhere), lets running bodies finish
/// for up to the drain time, and hands back whatever still runs then. A handed-back attempt is reported
/// as interrupted, so its run starts it on another node: an action is run again, never failed, and the
/// attempt does not count as lost. The drain ends when no attempt is held and every report has been
/// acknowledged (a report lost now could not be sent again once the node is gone), or at the drain time.
/// </summary>
internal sealed partial class ActionExecutor
{
    private const string ParentHandedOff = "was handed to another node: its node is leaving the cluster";

    private List<IActorRef>? _draining;

    /// <summary>Starts the drain; <see cref="Drained"/> answers when the executor holds no attempt. Local only.</summary>
    internal sealed record Drain(TimeSpan Timeout) : INoSerializationVerificationNeeded;

    /// <summary>The executor holds no attempt any more. Local only.</summary>
    internal sealed class Drained : INoSerializationVerificationNeeded
    {
        public static readonly Drained Instance = new();
    }

    private sealed class DrainDeadline : INoSerializationVerificationNeeded
    {
        public static readonly DrainDeadline Instance = new();
    }

    private void StartDraining(Drain drain)
    {
        if (_draining is not null)
        {
            _draining.Add(Sender);
            ReplyIfDrained();
            return;
        }
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        var otherWorkers = cluster.State.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(FanoutRoles.Worker) && m.Address != cluster.SelfAddress)
            .ToList();
        if (otherWorkers.Count == 0)
        {
            // Nowhere to hand attempts to: the node's runs stop with it and resume when a node starts again.
            // The attempts end with the actor system, unreported, as in any shutdown; until then the executor
            // works as usual (turning attempts away would only send them back to it).
            _log.Info("Leaving with {0} attempt(s) open and no other worker to take them; their runs resume on the next start", _attempts.Count);
            Sender.Tell(Drained.Instance);
            return;
        }
        _draining = [Sender];

        var directoryOf = (Address address) => Context.ActorSelection(new RootActorPath(address) / "user" / ExecutorDirectory.Name);
        directoryOf(cluster.SelfAddress).Tell(new ExecutorDraining(Self));
        foreach (var member in otherWorkers) directoryOf(member.Address).Tell(new ExecutorDraining(Self));

        _log.Info("Draining: {0} attempt(s) open; running bodies get {1} s to end", _attempts.Count, drain.Timeout.TotalSeconds);
        foreach (var attempt in _attempts.Values.Where(a => a.IsParent || !a.IsRunning).ToList())
            Interrupt(attempt, attempt.IsParent ? ParentHandedOff : "was handed to another node before it started: its node is leaving the cluster");
        Timers.StartSingleTimer("drain-deadline", DrainDeadline.Instance, drain.Timeout);
        ReplyIfDrained();
    }

    private void InterruptAll(string why)
    {
        foreach (var attempt in _attempts.Values.ToList()) Interrupt(attempt, why);
        if (_outbox.Count > 0)
            _log.Warning("Leaving with {0} report(s) not acknowledged by their runs; those runs start the attempts again", _outbox.Count);
        ReplyIfDrained(timeIsUp: true);
    }

    /// <summary>Drops the attempt and tells its run, which starts it again elsewhere.</summary>
    private void Interrupt(ExecutorAttempt attempt, string why)
    {
        Drop(attempt, new FanoutException($"attempt {attempt.Execute.Attempt} of action {attempt.Execute.ActionId} {why}"));
        QueueReport(attempt.Interrupted(why));
    }

    private void ReplyIfDrained(bool timeIsUp = false)
    {
        if (_draining is null || (!timeIsUp && (_attempts.Count > 0 || _outbox.Count > 0))) return;
        FlushReportsNow();
        Timers.Cancel("drain-deadline");
        foreach (var waiter in _draining) waiter.Tell(Drained.Instance);
        _draining.Clear();
    }
}
