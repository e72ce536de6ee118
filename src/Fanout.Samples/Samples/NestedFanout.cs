using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>Nested fanout: a child task may fan out itself, to any depth. Here: regions, then the cities of each.</summary>
internal static class NestedFanout
{
    public static readonly TaskEnvironment Env = new("nested_fanout");

    public static readonly TaskDefinition<int, int> CountVisitors =
        Env.Task("count_visitors", (int city) => Task.FromResult(100 + city));

    public static readonly TaskDefinition<int, int> RegionTotal =
        Env.Task("region_total", async (int region, CancellationToken ct) =>
        {
            var cities = Enumerable.Range(region * 10, 10).Select(city => CountVisitors.InvokeAsync(city)).ToList();
            return (await Gather(cities)).Sum();
        });

    public static readonly TaskDefinition<int, int[]> Main =
        Env.Task("nested_fanout_example", async (int regions, CancellationToken ct) =>
        {
            var totals = Enumerable.Range(0, regions).Select(region => RegionTotal.InvokeAsync(region)).ToList();
            return await Gather(totals);
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 5);
        Show.Url(run);
        Show.Result(await run.WaitAsync(), "per region");
        var summary = await run.GetSummaryAsync();
        Show.Line("actions", $"{summary.TotalActions} (1 root + 5 regions + 50 cities)");
    }
}
