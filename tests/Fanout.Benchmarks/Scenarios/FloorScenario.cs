using Fanout.Benchmarks.Measurement;
using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// The floor: the child's own body called N times in process and gathered with Task.WhenAll, with
/// the same latency recording as the Fanout parent. What is left is the cost of the harness itself.
/// </summary>
internal sealed class FloorScenario : IScenario
{
    public string Name => "floor";

    public string Description => "Task.WhenAll over N plain in-process calls of the child's no-op body; no runtime";

    public async Task<ScenarioResult> RunAsync(int n, TempFolder temp, CancellationToken cancellationToken)
    {
        await CallAllAsync(WarmUp.Actions, new LatencyRecorder(WarmUp.Actions));
        var latency = new LatencyRecorder(n);
        var timing = await TimedSection.RunAsync(() => CallAllAsync(n, latency));
        return ScenarioResult.From(Name, n, timing, latency, journal: null, reopenSeconds: null, "no runtime: the harness's own cost");
    }

    private static async Task CallAllAsync(int n, LatencyRecorder latency)
    {
        var calls = new Task<int>[n];
        for (var i = 0; i < n; i++)
        {
            latency.Started(i);
            calls[i] = BenchTasks.NoopBody(i);
            latency.EndsWith(calls[i], i);
        }
        var sum = BenchTasks.Sum(await Task.WhenAll(calls));
        if (sum != BenchTasks.ExpectedSum(n))
            throw new InvalidOperationException($"the floor over {n} calls summed to {sum}");
    }
}
