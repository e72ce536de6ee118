using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>The raw-sharding scenario's request: routed to the entity <see cref="EntityId"/>, answered with <see cref="Sequence"/>.</summary>
internal sealed record EchoRequest(string EntityId, int Sequence);

/// <summary>The least a sharded entity can do: answer every request with its sequence number. No state, no persistence.</summary>
internal sealed class EchoEntity : ReceiveActor
{
    public const string RegionName = "bench-echo";

    public EchoEntity()
    {
        Receive<EchoRequest>(request => Sender.Tell(request.Sequence));
    }

    /// <summary>Routes by entity id over as many shards as Fanout's own regions use (100).</summary>
    public sealed class Extractor() : HashCodeMessageExtractor(maxNumberOfShards: 100)
    {
        public override string? EntityId(object message) => (message as EchoRequest)?.EntityId;
    }
}
