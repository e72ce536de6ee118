using Fanout.Benchmarks.Measurement;
using static Fanout.Workflow;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// The tasks the Fanout scenarios run: a no-op child, and parents that fan out to it N times, with
/// <c>Task.WhenAll</c> (recording latencies, or not for a parent in another process) or with the map
/// helper. Parents return the sum of their children's results, so a run that lost or duplicated a child
/// would be caught. The cluster's workers load this assembly too, for these definitions.
/// </summary>
internal static class BenchTasks
{
    public const int MapConcurrency = 1_000;

    public static readonly TaskEnvironment Env = new("bench");

    public static readonly TaskDefinition<int, int> Noop = Env.Task("noop", (int x) => NoopBody(x));

    public static readonly TaskDefinition<int, long> WhenAllFanout = Env.Task("when_all", async (int n) =>
    {
        var latency = Latency;
        var calls = new Task<int>[n];
        for (var i = 0; i < n; i++)
        {
            if (!latency.Watches(i))
            {
                calls[i] = Noop.InvokeAsync(i);
                continue;
            }
            latency.Started(i);
            calls[i] = Noop.InvokeAsync(i);
            latency.EndsWith(calls[i], i);
        }
        return Sum(await Task.WhenAll(calls));
    });

    /// <summary>
    /// The WhenAll fan-out without the latency recording, for the cluster scenario: there the parent runs in
    /// a worker process, which loads this assembly but where <see cref="Latency"/> is never set (the
    /// recorder lives in the benchmark process's memory), so <see cref="WhenAllFanout"/> would fail. The
    /// many-runs scenario's runs use it too: they run at once, and one recorder serves one run at a time.
    /// </summary>
    public static readonly TaskDefinition<int, long> WhenAllUnrecorded = Env.Task("when_all_unrecorded", async (int n) =>
    {
        var calls = new Task<int>[n];
        for (var i = 0; i < n; i++) calls[i] = Noop.InvokeAsync(i);
        return Sum(await Task.WhenAll(calls));
    });

    // Workflow.Map is MapStream's outcomes collected into an array; taking them one by one here is
    // the same pipeline, and it lets each result be timestamped as it reaches the parent (in input
    // order, as Map delivers them, so a slow call holds back the ones after it).
    public static readonly TaskDefinition<int, long> MapFanout = Env.Task("map", async (int n) =>
    {
        var latency = Latency;
        // The map pulls an item just before it calls the task on it, so this is the call's start.
        var items = Enumerable.Range(0, n).Select(i =>
        {
            latency.Started(i);
            return i;
        });
        var (received, sum) = (0, 0L);
        await foreach (var result in MapStream(Noop, items, MapConcurrency))
        {
            latency.Ended(received++);
            sum += result;
        }
        return sum;
    });

    /// <summary>
    /// Where the running parent records its calls' latencies. A run's input is JSON, so the recorder
    /// cannot travel with it; the scenario sets this before starting a run, and runs one at a time.
    /// </summary>
    public static LatencyRecorder Latency
    {
        get => Volatile.Read(ref _latency) ?? throw new InvalidOperationException("set BenchTasks.Latency before starting a run");
        set => Volatile.Write(ref _latency, value);
    }

    private static LatencyRecorder? _latency;

    /// <summary>The child's body, also called directly by the floor scenario.</summary>
    public static Task<int> NoopBody(int x) => Task.FromResult(x);

    /// <summary>What a parent over <paramref name="n"/> children returns: 0 + 1 + ... + (n - 1).</summary>
    public static long ExpectedSum(int n) => (long)n * (n - 1) / 2;

    public static long Sum(int[] results)
    {
        var sum = 0L;
        foreach (var result in results) sum += result;
        return sum;
    }
}
