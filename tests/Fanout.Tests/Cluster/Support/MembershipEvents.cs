using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;

namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// Records the reachability and membership changes a cluster member is told of (Akka's own cluster
/// events), with when they came. Reachability is gossiped, so a member hears of every member some other
/// member finds unreachable, not only those it watches itself.
/// </summary>
public sealed class MembershipEvents : IDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _listener;
    private readonly ConcurrentQueue<(DateTimeOffset At, ClusterEvent.IClusterDomainEvent Event)> _events = new();

    public MembershipEvents(ActorSystem system)
    {
        _system = system;
        _listener = system.ActorOf(Props.Create(() => new Listener(_events)));
    }

    /// <summary>Every event recorded so far, in arrival order.</summary>
    public IReadOnlyList<(DateTimeOffset At, ClusterEvent.IClusterDomainEvent Event)> All => _events.ToList();

    /// <summary>Members marked unreachable, downed or removed: what a healthy cluster never shows.</summary>
    public IReadOnlyList<string> Losses => All
        .Where(e => e.Event is ClusterEvent.UnreachableMember or ClusterEvent.MemberDowned or ClusterEvent.MemberRemoved)
        .Select(e => $"{e.At:HH:mm:ss.fff} {e.Event}")
        .ToList();

    public void Dispose() => _system.Stop(_listener);

    private sealed class Listener : ReceiveActor
    {
        public Listener(ConcurrentQueue<(DateTimeOffset, ClusterEvent.IClusterDomainEvent)> events)
        {
            Receive<ClusterEvent.IClusterDomainEvent>(e => events.Enqueue((DateTimeOffset.UtcNow, e)));
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
