using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>Batching a very large fanout: explicit batches of 100, gathered one after the other.</summary>
internal static class BatchedFanout
{
    public static readonly TaskEnvironment Env = new("batched_fanout");

    public static readonly TaskDefinition<int, int> ProcessTask =
        Env.Task("process_task", (int item) => Task.FromResult(item * 2));

    public static readonly TaskDefinition<int, int[]> Main =
        Env.Task("batched_fanout_example", async (int totalItems, CancellationToken ct) =>
        {
            const int batchSize = 100;
            var items = Enumerable.Range(0, totalItems).ToArray();
            var allResults = new List<int>(totalItems);
            for (var i = 0; i < totalItems; i += batchSize)
            {
                var batch = items[i..Math.Min(i + batchSize, totalItems)];
                var batchResults = new List<Task<int>>();
                foreach (var item in batch)
                    batchResults.Add(ProcessTask.InvokeAsync(item));
                allResults.AddRange(await Gather(batchResults)); // at most one batch in flight
            }
            return allResults.ToArray();
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 1_000);
        Show.Url(run);
        Show.Result(await run.WaitAsync());
    }
}
