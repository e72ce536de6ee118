namespace Fanout.Benchmarks.Scenarios;

/// <summary>Every scenario, in the order they run at each N.</summary>
internal static class ScenarioCatalog
{
    public static readonly IReadOnlyList<IScenario> All =
    [
        FanoutScenario.Sqlite,
        FanoutScenario.Memory,
        FanoutScenario.Map,
        new RawShardingScenario(),
        new FloorScenario(),
    ];

    public static IScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
