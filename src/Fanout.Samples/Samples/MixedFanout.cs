using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>Mixed patterns: a parallel phase, then a sequential phase fed by its results.</summary>
internal static class MixedFanout
{
    public static readonly TaskEnvironment Env = new("mixed_fanout");

    public static readonly TaskDefinition<int, string> FastTask =
        Env.Task("fast_task", (int i) => Task.FromResult($"fast-{i}"));

    public static readonly TaskDefinition<string, string> SlowProcessingTask =
        Env.Task("slow_processing_task", async (string item, CancellationToken ct) =>
        {
            await Task.Delay(20, ct);
            return $"{item} processed";
        });

    public static readonly TaskDefinition<int, (string[] Parallel, string[] Sequential)> Main =
        Env.Task("mixed_fanout_example", async (int n, CancellationToken ct) =>
        {
            // First: parallel execution.
            var parallelTasks = new List<Task<string>>();
            for (var i = 0; i < n; i++)
                parallelTasks.Add(FastTask.InvokeAsync(i));
            var parallelResults = await Gather(parallelTasks);

            // Second: sequential execution, using the results of the parallel phase.
            var sequentialResults = new List<string>();
            foreach (var result in parallelResults)
                sequentialResults.Add(await SlowProcessingTask.InvokeAsync(result));

            return (parallelResults, sequentialResults.ToArray());
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 5);
        Show.Url(run);
        var (parallel, sequential) = await run.WaitAsync();
        Show.Result(parallel, "parallel");
        Show.Result(sequential, "sequential");
    }
}
