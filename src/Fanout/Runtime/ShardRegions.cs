using Akka.Cluster.Sharding;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>The sharded entity type (runs) and how messages find their entity.</summary>
internal static class ShardRegions
{
    public const string Runs = "fanout-run";
    public const int ShardCount = 100;

    /// <summary>Routes run messages by run id, hashed over the shards.</summary>
    internal sealed class Extractor() : HashCodeMessageExtractor(ShardCount)
    {
        public override string? EntityId(object message) => message is IRunMessage run ? run.RunId : null;
    }
}
