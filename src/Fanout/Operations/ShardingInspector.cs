using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Fanout.Operations;

/// <summary>What <c>GET /sharding/regions</c> shows: each region (or proxy) this node runs, with its shards and entities.</summary>
internal sealed record RegionsView(IReadOnlyList<RegionView> Regions);

/// <summary>One of this node's regions: how many shards it hosts and how many entities live in them.</summary>
internal sealed record RegionView(string TypeName, int Shards, int Entities);

/// <summary>What <c>GET /sharding/region-stats</c> shows: every node's region of one type, with entities per shard.</summary>
internal sealed record RegionStatsView(string TypeName, IReadOnlyList<NodeShardsView> Regions);

/// <summary>One node's region: its shards, with the number of entities in each.</summary>
internal sealed record NodeShardsView(string Address, IReadOnlyList<ShardView> Shards);

/// <summary>One shard: its id and entity count, and (from this node's own region) the first of its entity ids.</summary>
internal sealed record ShardView(string ShardId, int Entities, IReadOnlyList<string>? EntityIds = null);

/// <summary>What <c>GET /sharding/shard-stats</c> shows: this node's shards of one type and their entities.</summary>
internal sealed record ShardStatsView(string TypeName, string Address, IReadOnlyList<ShardView> Shards);

/// <summary>
/// Reads Cluster Sharding's own statistics for the operator (<c>pbm cluster-sharding ...</c>): this node's regions
/// (<see cref="GetShardRegionStats"/>), a type's regions on every node (<see cref="GetClusterShardingStats"/>, which
/// its region gathers from the others), and this node's shards with their entity ids (<see cref="GetShardRegionState"/>).
/// </summary>
internal sealed class ShardingInspector(ActorSystem system)
{
    /// <summary>Entity ids listed per shard; a shard of a busy cluster may hold thousands of runs.</summary>
    public const int MaxEntityIdsPerShard = 100;

    private static readonly TimeSpan LocalTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ClusterWideTimeout = TimeSpan.FromSeconds(5);

    private ClusterSharding Sharding => ClusterSharding.Get(system);

    private string SelfAddress => Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();

    /// <summary>The entity types this node runs a region or proxy for, in name order.</summary>
    public IReadOnlyList<string> TypeNames => Sharding.ShardTypeNames.Order(StringComparer.Ordinal).ToList();

    public bool Knows(string typeName) => Sharding.ShardTypeNames.Contains(typeName);

    public async Task<RegionsView> RegionsAsync(CancellationToken ct)
    {
        var regions = new List<RegionView>();
        foreach (var typeName in TypeNames)
        {
            var stats = await Sharding.ShardRegion(typeName).Ask<ShardRegionStats>(GetShardRegionStats.Instance, LocalTimeout, ct).ConfigureAwait(false);
            regions.Add(new RegionView(typeName, stats.Stats.Count, stats.Stats.Values.Sum()));
        }
        return new RegionsView(regions);
    }

    /// <summary>Every node's region of <paramref name="typeName"/>; a region that did not answer in time is left out by sharding.</summary>
    public async Task<RegionStatsView> RegionStatsAsync(string typeName, CancellationToken ct)
    {
        var stats = await Sharding.ShardRegion(typeName)
            .Ask<ClusterShardingStats>(new GetClusterShardingStats(ClusterWideTimeout), ClusterWideTimeout + LocalTimeout, ct).ConfigureAwait(false);
        var regions = stats.Regions
            .Select(r => new NodeShardsView(r.Key.ToString(), r.Value.Stats
                .OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new ShardView(s.Key, s.Value)).ToList()))
            .OrderBy(r => r.Address, StringComparer.Ordinal)
            .ToList();
        return new RegionStatsView(typeName, regions);
    }

    /// <summary>This node's shards of <paramref name="typeName"/>, each with its first <see cref="MaxEntityIdsPerShard"/> entity ids.</summary>
    public async Task<ShardStatsView> ShardStatsAsync(string typeName, CancellationToken ct)
    {
        var state = await Sharding.ShardRegion(typeName).Ask<CurrentShardRegionState>(GetShardRegionState.Instance, LocalTimeout, ct)
            .ConfigureAwait(false);
        var shards = state.Shards
            .OrderBy(s => s.ShardId, StringComparer.Ordinal)
            .Select(s => new ShardView(s.ShardId, s.EntityIds.Count,
                s.EntityIds.Order(StringComparer.Ordinal).Take(MaxEntityIdsPerShard).ToList()))
            .ToList();
        return new ShardStatsView(typeName, SelfAddress, shards);
    }
}
