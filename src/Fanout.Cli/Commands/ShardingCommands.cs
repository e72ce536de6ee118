using System.CommandLine;
using Fanout.Cli.Model;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout cluster-sharding regions|region-stats|shard-stats</c>, pbm's sharding verbs.</summary>
internal static class ShardingCommands
{
    public static Command Build(GlobalOptions options)
    {
        var sharding = new Command("cluster-sharding", "Cluster Sharding: regions, shards per node, entities per shard");
        sharding.Subcommands.Add(Regions(options));
        sharding.Subcommands.Add(RegionStats(options));
        sharding.Subcommands.Add(ShardStats(options));
        return sharding;
    }

    private static Option<string> RegionType() => new("--region", "-r")
    {
        Description = "The region's type name (see 'fanout cluster-sharding regions')",
        HelpName = "type",
        Required = true,
    };

    private static Func<ParseResult, string> PathFor(string endpoint, Option<string> type) =>
        parsed => $"sharding/{endpoint}?type={Uri.EscapeDataString(parsed.GetValue(type)!)}";

    private static Command Regions(GlobalOptions options)
    {
        var regions = new Command("regions", "The shard regions and proxies on the node, with their shard and entity counts");
        options.OnGet<RegionsDto>(regions, _ => "sharding/regions", (_, view) =>
        {
            foreach (var region in view.Regions)
                options.Context.Output.WriteLine($"{region.TypeName} | shards: {region.Shards} | entities: {region.Entities}");
            options.Context.Output.WriteLine($"Count: {view.Regions.Count} regions");
            return CliExitCodes.Ok;
        });
        return regions;
    }

    private static Command RegionStats(GlobalOptions options)
    {
        var type = RegionType();
        var stats = new Command("region-stats", "Cluster-wide: each node's shards of a region type and their entity counts") { type };
        options.OnGet<RegionStatsDto>(stats, PathFor("region-stats", type), (_, view) =>
        {
            var output = options.Context.Output;
            foreach (var region in view.Regions)
            {
                output.WriteLine($"{region.Address} | shards: {region.Shards.Count} | entities: {region.Shards.Sum(s => s.Entities)}");
                foreach (var shard in region.Shards.OrderBy(s => s.ShardId, StringComparer.Ordinal))
                    output.WriteLine($"  shard {shard.ShardId} | entities: {shard.Entities}");
            }
            var shards = view.Regions.Sum(r => r.Shards.Count);
            var entities = view.Regions.Sum(r => r.Shards.Sum(s => s.Entities));
            output.WriteLine($"Total: {shards} shards, {entities} entities on {view.Regions.Count} nodes");
            return CliExitCodes.Ok;
        });
        return stats;
    }

    private static Command ShardStats(GlobalOptions options)
    {
        var type = RegionType();
        var stats = new Command("shard-stats", "The node's own shards of a region type, with their entities' ids (the first 100 per shard)") { type };
        options.OnGet<ShardStatsDto>(stats, PathFor("shard-stats", type), (_, view) =>
        {
            var output = options.Context.Output;
            output.WriteLine($"{view.TypeName} on {view.Address}");
            foreach (var shard in view.Shards.OrderBy(s => s.ShardId, StringComparer.Ordinal))
            {
                var ids = shard.EntityIds ?? [];
                var more = shard.Entities > ids.Count ? $", +{shard.Entities - ids.Count} more" : "";
                output.WriteLine($"  shard {shard.ShardId} | entities: {shard.Entities} | [{string.Join(',', ids)}{more}]");
            }
            output.WriteLine($"Total: {view.Shards.Count} shards, {view.Shards.Sum(s => s.Entities)} entities");
            return CliExitCodes.Ok;
        });
        return stats;
    }
}
