using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Operations;

/// <summary>
/// Asks a runtime node to leave the cluster the way SIGTERM makes it leave: its own coordinated shutdown, which
/// drains the executor while the node is still up, then hands its runs off, then leaves.
/// </summary>
internal sealed record LeaveGracefully : IFanoutMessage
{
    public static readonly LeaveGracefully Instance = new();
}

/// <summary>The node took <see cref="LeaveGracefully"/> and has started leaving.</summary>
internal sealed record LeavingGracefully(string Address) : IFanoutMessage;

/// <summary>
/// Each runtime node's receiver of an operator's leave (<c>POST /cluster/leave</c> on any node). Akka's own
/// <c>Cluster.Leave</c> of a remote member starts that member's coordinated shutdown only once it is already
/// Exiting, so its executor drains while the cluster is already moving things (its singletons, among them the
/// shard coordinator) away: in two of three spec runs the drain's reports went unacknowledged until
/// <c>DrainTimeout</c>, and finished attempts ran again. Starting the shutdown on the node itself orders it as
/// SIGTERM does: drain first while the node is up, then hand-off, then leave.
/// </summary>
internal sealed class GracefulLeave : ReceiveActor
{
    public const string Name = "fanout-operator";

    public GracefulLeave()
    {
        Receive<LeaveGracefully>(request =>
        {
            var system = Context.System;
            Sender.Tell(new LeavingGracefully(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString()));
            _ = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new GracefulLeave());
}
