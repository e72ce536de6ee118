namespace Fanout.Samples;

/// <summary>
/// The guide's opening example: <c>main(r)</c> calls <c>my_task(x)</c> once for each i and awaits them
/// all. Every call is one action; <c>Task.WhenAll</c> is the gather.
/// </summary>
internal static class BasicFanout
{
    public static readonly TaskEnvironment Env = new("large_fanout");

    public static readonly TaskDefinition<int, int> MyTask =
        Env.Task("my_task", (int x, CancellationToken ct) => Task.FromResult(x));

    public static readonly TaskDefinition<int, int[]> Main =
        Env.Task("main", async (int r, CancellationToken ct) =>
        {
            var results = new List<Task<int>>();
            for (var i = 0; i < r; i++)
                results.Add(MyTask.InvokeAsync(i));
            return await Task.WhenAll(results);
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 50);
        Show.Url(run);
        Show.Result(await run.WaitAsync());
    }
}
