using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>Parallel execution, the most common fanout: collect every call first, then gather them.</summary>
internal static class ParallelFanout
{
    public static readonly TaskEnvironment Env = new("parallel_fanout");

    public static readonly TaskDefinition<int, string> MyAsyncTask =
        Env.Task("my_async_task", async (int i, CancellationToken ct) =>
        {
            await Task.Delay(10, ct);
            return $"item-{i}";
        });

    public static readonly TaskDefinition<int, string[]> Main =
        Env.Task("parallel_fanout_example", async (int n, CancellationToken ct) =>
        {
            var results = new List<Task<string>>();
            // Collect all task invocations first: each one starts its action right away.
            for (var i = 0; i < n; i++)
                results.Add(MyAsyncTask.InvokeAsync(i));
            // Then wait for them together.
            return await Gather(results);
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 20);
        Show.Url(run);
        Show.Result(await run.WaitAsync());
    }
}
