namespace Fanout.Cli.Model;

/// <summary><c>GET /sharding/regions</c>.</summary>
internal sealed record RegionsDto(List<RegionDto> Regions);

/// <summary>One shard region (or proxy) on the node.</summary>
internal sealed record RegionDto(string TypeName, int Shards, int Entities);

/// <summary><c>GET /sharding/region-stats</c>: shards per node, cluster-wide.</summary>
internal sealed record RegionStatsDto(string TypeName, List<RegionShardsDto> Regions);

/// <summary>One node's shards of a region type.</summary>
internal sealed record RegionShardsDto(string Address, List<ShardDto> Shards);

/// <summary>A shard and how many entities it holds; <c>EntityIds</c> only in shard-stats.</summary>
internal sealed record ShardDto(string ShardId, int Entities, List<string>? EntityIds);

/// <summary><c>GET /sharding/shard-stats</c>: this node's shards of a region type, with entity ids.</summary>
internal sealed record ShardStatsDto(string TypeName, string Address, List<ShardDto> Shards);
