using System.Collections.Immutable;
using Akka.Actor;
using Fanout.Clustering;

namespace Fanout.Tests.Actors;

/// <summary>
/// Stands in for a node's <see cref="ExecutorDirectory"/> in actor specs: it lists the executors the spec
/// gives it (test probes), and tells subscribers when the spec changes the list.
/// </summary>
internal sealed class StaticDirectory : ReceiveActor
{
    private readonly HashSet<IActorRef> _subscribers = [];
    private ImmutableArray<ExecutorEntry> _executors;

    public StaticDirectory(ImmutableArray<ExecutorEntry> executors)
    {
        _executors = executors;
        Receive<SubscribeExecutors>(s =>
        {
            _subscribers.Add(s.Subscriber);
            s.Subscriber.Tell(new ExecutorsChanged(_executors));
        });
        Receive<SetExecutors>(set =>
        {
            _executors = set.Executors;
            foreach (var subscriber in _subscribers) subscriber.Tell(new ExecutorsChanged(_executors));
        });
    }

    /// <summary>One executor on a node with the worker role and <paramref name="roles"/>.</summary>
    public static ExecutorEntry Entry(IActorRef executor, params string[] roles) =>
        new(executor, new Address("akka.tcp", "test", $"node-{executor.Path.Name}", 1),
            [FanoutRoles.Worker, .. roles]);

    public static Props Props(params ExecutorEntry[] executors)
    {
        var list = executors.ToImmutableArray();
        return Akka.Actor.Props.Create(() => new StaticDirectory(list));
    }

    /// <summary>Replaces the list, as cluster membership changes would.</summary>
    public sealed record SetExecutors(ImmutableArray<ExecutorEntry> Executors);
}
