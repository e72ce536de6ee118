using Akka.Cluster.Sharding;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>The two sharded entity types and how messages find their entity.</summary>
internal static class ShardRegions
{
    public const string Runs = "fanout-run";
    public const string Actions = "fanout-action";
    public const int ShardCount = 100;

    /// <summary>Routes run messages by run id and action messages by action id, hashed over the shards.</summary>
    internal sealed class Extractor() : HashCodeMessageExtractor(ShardCount)
    {
        public override string? EntityId(object message) => message switch
        {
            IRunMessage run => run.RunId,
            IActionMessage action => action.ActionId,
            _ => null,
        };
    }
}
