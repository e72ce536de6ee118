using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Delivery;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (c)'s run entity: a sharded entity on the runs' node, wrapped by a ShardingConsumerController,
/// that receives its run's reports and hands each delivery to the run actor (which confirms it). The run
/// itself is a plain actor because it must start sending before any report makes sharding create it.
/// </summary>
internal sealed class RunReportsEntity : ReceiveActor
{
    private readonly IActorRef _consumerController;

    public RunReportsEntity(IActorRef consumerController, IReadOnlyList<IActorRef> runs)
    {
        _consumerController = consumerController;
        Receive<ConsumerController.Delivery<DoneBatch>>(delivery => runs[delivery.Message.Producer].Forward(delivery));
    }

    /// <summary>The entity id of run <paramref name="producer"/>.</summary>
    public static string EntityId(int producer) => $"run-{producer}";

    protected override void PreStart() => _consumerController.Tell(new ConsumerController.Start<DoneBatch>(Self));

    /// <summary>
    /// Over as many shards as Fanout's regions use. The ShardingProducerController sends only
    /// ShardingEnvelopes, which the base class routes by their entity id itself; nothing else comes here.
    /// </summary>
    public sealed class Extractor() : HashCodeMessageExtractor(maxNumberOfShards: 100)
    {
        public override string? EntityId(object message) => null;
    }
}
