using System.Diagnostics;
using Fanout;

await using var fanout = await FanoutRuntime.StartEmbeddedAsync(new FanoutRuntimeOptions { DatabasePath = "/tmp/smoke/s.db" });
var run = await fanout.RunAsync(Smoke.Main, 50);
Console.WriteLine(run.Url);
var r = await run.WaitAsync();
Console.WriteLine(string.Join(",", r));
for (var k = 0; k < 3; k++) {
var sw = Stopwatch.StartNew();
var run2 = await fanout.RunAsync(Smoke.Main, 10000);
var r2 = await run2.WaitAsync();
Console.WriteLine($"10k: {sw.Elapsed.TotalSeconds:F2}s sum={r2.Sum()}");
var s = await run2.GetSummaryAsync(); Console.WriteLine(string.Join(",", s.Counts));
}

static class Smoke
{
    public static readonly TaskEnvironment Env = new("smoke");
    public static readonly TaskDefinition<int, int> MyTask = Env.Task("my_task", (int x, CancellationToken ct) => Task.FromResult(x));
    public static readonly TaskDefinition<int, int[]> Main = Env.Task("main", async (int r, CancellationToken ct) =>
    {
        var results = new List<Task<int>>();
        for (var i = 0; i < r; i++) results.Add(MyTask.InvokeAsync(i));
        return await Task.WhenAll(results);
    });
}
