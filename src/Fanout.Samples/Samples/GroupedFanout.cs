using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>
/// Organizing a large fanout with groups: every action started inside <c>Group(...)</c> carries its
/// label, nested groups form a path, and the run's summary counts actions per group.
/// </summary>
internal static class GroupedFanout
{
    public static readonly TaskEnvironment Env = new("grouped_fanout");

    public static readonly TaskDefinition<int, int> CleanRecord =
        Env.Task("clean_record", (int record) => Task.FromResult(record % 10));

    public static readonly TaskDefinition<int[], int> SummarizeShard =
        Env.Task("summarize_shard", (int[] cleaned) => Task.FromResult(cleaned.Sum()));

    public static readonly TaskDefinition<int, int> Main =
        Env.Task("grouped_fanout_example", async (int shards, CancellationToken ct) =>
        {
            const int recordsPerShard = 25;
            var cleanedShards = new List<Task<int[]>>();
            using (Group("phase-1"))
            {
                for (var shard = 0; shard < shards; shard++)
                {
                    using (Group($"shard-{shard}"))
                    {
                        var calls = new List<Task<int>>();
                        for (var i = 0; i < recordsPerShard; i++)
                            calls.Add(CleanRecord.InvokeAsync(shard * recordsPerShard + i));
                        cleanedShards.Add(Gather(calls));
                    }
                }
            }

            var summaries = new List<Task<int>>();
            using (Group("phase-2"))
            {
                foreach (var cleaned in await Gather(cleanedShards))
                    summaries.Add(SummarizeShard.InvokeAsync(cleaned));
            }
            return (await Gather(summaries)).Sum();
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 3);
        Show.Url(run);
        Show.Line("result", $"{await run.WaitAsync()}");

        var summary = await run.GetSummaryAsync();
        Show.Line("groups", $"{summary.TotalActions} actions in {summary.Groups.Count} groups:");
        foreach (var group in summary.Groups)
        {
            var name = group.Group.Length == 0 ? "(no group)" : group.Group;
            var counts = string.Join(", ", group.Counts.Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"));
            Show.Line("", $"  {name,-16} {group.Total,4} action(s): {counts}");
        }
        Show.Line("", $"{run.Url}/actions?group=phase-1");
    }
}
