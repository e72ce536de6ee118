using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.DistributedData;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Two actor systems in this process that talk over TCP on loopback as a two-node cluster: the runs'
/// node (role <c>runs</c>) and the executor's (role <c>executor</c>). A cluster rather than plain remoting
/// because Akka.Delivery's envelopes are serialized by Akka.Cluster's serializer, and sharding needs one.
/// </summary>
internal sealed class LoopbackPair : IAsyncDisposable
{
    public const string RunsRole = "runs";
    public const string ExecutorRole = "executor";

    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    private LoopbackPair(ActorSystem runs, ActorSystem executor)
    {
        Runs = runs;
        Executor = executor;
    }

    /// <summary>The node where the runs (producers of attempts) live.</summary>
    public ActorSystem Runs { get; }

    /// <summary>The node where the executor (consumer of attempts) lives.</summary>
    public ActorSystem Executor { get; }

    public static async Task<LoopbackPair> StartAsync(CancellationToken cancellationToken)
    {
        var runs = ActorSystem.Create("delivery-bench", NodeConfig(RunsRole));
        var executor = ActorSystem.Create("delivery-bench", NodeConfig(ExecutorRole));
        var pair = new LoopbackPair(runs, executor);
        try
        {
            var first = Cluster.Get(runs).SelfAddress;
            Cluster.Get(runs).Join(first);
            Cluster.Get(executor).Join(first);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(JoinTimeout);
            while (Cluster.Get(runs).State.Members.Count(m => m.Status == MemberStatus.Up) < 2
                   || Cluster.Get(executor).State.Members.Count(m => m.Status == MemberStatus.Up) < 2)
            {
                try
                {
                    await Task.Delay(50, deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"the two delivery-bench nodes did not both see each other Up within {JoinTimeout.TotalSeconds:F0} s");
                }
            }
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Resolves, from the runs' node, an actor that lives on the executor's node: sends through it go over the wire.</summary>
    public Task<IActorRef> OnExecutorSeenFromRunsAsync(IActorRef local) => ResolveAsync(Runs, Executor, local);

    /// <summary>Resolves, from the executor's node, an actor that lives on the runs' node.</summary>
    public Task<IActorRef> OnRunsSeenFromExecutorAsync(IActorRef local) => ResolveAsync(Executor, Runs, local);

    public async ValueTask DisposeAsync()
    {
        // The executor's node leaves first, so the runs' node does not see a peer vanish mid-conversation.
        await CoordinatedShutdown.Get(Executor).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        await CoordinatedShutdown.Get(Runs).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
    }

    // An IActorRef made by the other system is local to it: a Tell through it would never touch the wire.
    private static async Task<IActorRef> ResolveAsync(ActorSystem from, ActorSystem owner, IActorRef local)
    {
        var path = new RootActorPath(Cluster.Get(owner).SelfAddress) / local.Path.Elements;
        return await from.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(10));
    }

    private static Config NodeConfig(string role) =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.maximum-frame-size = 4MiB
            akka.remote.log-remote-lifecycle-events = off
            akka.cluster.roles = [ {{role}} ]
            akka.cluster.sharding.state-store-mode = ddata
            akka.cluster.sharding.distributed-data.durable.keys = []
            akka.cluster.run-coordinated-shutdown-when-down = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.actor.serializers.delivery-bench = "{{TypeName(typeof(DeliveryBenchSerializer))}}"
            akka.actor.serialization-bindings."{{TypeName(typeof(IDeliveryBenchMessage))}}" = delivery-bench
            akka.actor.serialization-identifiers."{{TypeName(typeof(DeliveryBenchSerializer))}}" = {{DeliveryBenchSerializer.SerializerId}}
            """)
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(DistributedData.DefaultConfig());

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
