using Akka.Actor;
using Akka.Cluster.Sharding;
using Fanout.Runtime;

namespace Fanout.Tests.RunsIndex;

/// <summary>The run entities alive on a runtime node, as its shard region reports them (GetShardRegionState).</summary>
internal static class RunEntities
{
    public static async Task<HashSet<string>> OnAsync(FanoutRuntime runtime)
    {
        var region = ClusterSharding.Get(runtime.ActorSystem).ShardRegion(ShardRegions.Runs);
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
        return state.Shards.SelectMany(shard => shard.EntityIds).ToHashSet(StringComparer.Ordinal);
    }
}
