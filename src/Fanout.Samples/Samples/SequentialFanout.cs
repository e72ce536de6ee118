namespace Fanout.Samples;

/// <summary>Sequential execution: await each call before making the next, one action at a time, in order.</summary>
internal static class SequentialFanout
{
    public static readonly TaskEnvironment Env = new("sequential_fanout");

    public static readonly TaskDefinition<int, string> MyAsyncTask =
        Env.Task("my_async_task", async (int i, CancellationToken ct) =>
        {
            await Task.Delay(10, ct);
            return $"step-{i} at {DateTime.UtcNow:HH:mm:ss.fff}";
        });

    public static readonly TaskDefinition<int, string[]> Main =
        Env.Task("sequential_fanout_example", async (int n, CancellationToken ct) =>
        {
            var results = new List<string>();
            for (var i = 0; i < n; i++)
            {
                var result = await MyAsyncTask.InvokeAsync(i); // await each task on its own
                results.Add(result);
            }
            return results.ToArray();
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 5);
        Show.Url(run);
        Show.Lines(await run.WaitAsync());
    }
}
