using System.Diagnostics;
using Fanout;

await using var fanout = await FanoutRuntime.StartEmbeddedAsync(new FanoutRuntimeOptions { DatabasePath = "/tmp/smoke/s.db" });
for (var k = 0; k < 3; k++) {
var sw = Stopwatch.StartNew();
var run2 = await fanout.RunAsync(Smoke.Seq, 50);
var r2 = await run2.WaitAsync();
Console.WriteLine($"seq 50: {sw.Elapsed.TotalMilliseconds/50:F1} ms/call");
}

static class Smoke
{
    public static readonly TaskEnvironment Env = new("smoke");
    public static readonly TaskDefinition<int, int> MyTask = Env.Task("my_task", (int x, CancellationToken ct) => Task.FromResult(x));
    public static readonly TaskDefinition<int, int> Seq = Env.Task("seq", async (int r, CancellationToken ct) =>
    {
        var s = 0;
        for (var i = 0; i < r; i++) s += await MyTask.InvokeAsync(i);
        return s;
    });
}
