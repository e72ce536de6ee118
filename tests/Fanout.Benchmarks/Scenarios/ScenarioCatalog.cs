using Fanout.Benchmarks.Scenarios.Delivery;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>Every scenario, in the order they run at each N.</summary>
internal static class ScenarioCatalog
{
    public static readonly IReadOnlyList<IScenario> All =
    [
        FanoutScenario.Sqlite,
        FanoutScenario.Memory,
        FanoutScenario.Map,
        FanoutScenario.Postgres,
        new ClusterScenario(),
        new ClusterScenario(tls: true),
        ManyRunsScenario.Sqlite,
        ManyRunsScenario.Postgres,
        new RawShardingScenario(),
        new FloorScenario(),
        DeliveryScenario.Tell,
        DeliveryScenario.Akka,
        DeliveryScenario.AkkaBatched,
        DeliveryScenario.Sharding,
        DeliveryScenario.TellWide,
        DeliveryScenario.AkkaWide,
    ];

    /// <summary>What runs when no scenario is named: those that need nothing beyond this machine.</summary>
    public static IReadOnlyList<IScenario> Default => All.Where(s => !s.NeedsPostgres && !s.OnlyWhenNamed).ToList();

    /// <summary>What --cluster adds: the scenarios on PostgreSQL (the cluster, its one-node, in-process reference, and many runs).</summary>
    public static IReadOnlyList<IScenario> Cluster => All.Where(s => s.NeedsPostgres).ToList();

    public static IScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
