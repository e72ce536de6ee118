using System.Diagnostics;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// Per-call latency: a Stopwatch timestamp when the caller makes call <c>i</c> and one when call
/// <c>i</c>'s result is available to it. Both arrays are allocated up front so that recording is two
/// array stores and costs the measured code next to nothing.
///
/// Where an end can only be seen through a continuation on the call's task, only every
/// <see cref="Stride"/>-th call is watched (at most about 10,000 per run): a continuation per call
/// costs some 200 bytes, which at a million calls would be the benchmark's own 200 MB in the figures.
/// </summary>
internal sealed class LatencyRecorder
{
    private const int MaxWatched = 10_000;

    private readonly long[] _started;
    private readonly long[] _ended;

    public LatencyRecorder(int calls)
    {
        _started = new long[calls];
        _ended = new long[calls];
        Stride = Math.Max(1, calls / MaxWatched);
    }

    public int Count => _started.Length;

    /// <summary>Every how many calls one is watched through its task.</summary>
    public int Stride { get; }

    /// <summary>Whether call <paramref name="call"/> is one whose latency is taken.</summary>
    public bool Watches(int call) => call % Stride == 0;

    public void Started(int call) => _started[call] = Stopwatch.GetTimestamp();

    public void Ended(int call) => _ended[call] = Stopwatch.GetTimestamp();

    /// <summary>Records call <paramref name="call"/>'s end when <paramref name="task"/> completes, however it completes.</summary>
    public void EndsWith(Task task, int call)
    {
        if (task.IsCompleted)
        {
            Ended(call);
            return;
        }
        // ExecuteSynchronously on the default scheduler: the timestamp is taken on the thread that
        // completes the call, not after a hop through a queue that would inflate the figure.
        task.ContinueWith(_ => Ended(call), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The p50 and p99 latencies in milliseconds (nearest rank) over the watched calls.</summary>
    /// <exception cref="InvalidOperationException">A watched call was never started or never ended.</exception>
    public (double P50Ms, double P99Ms) Percentiles()
    {
        var durations = new long[(_started.Length + Stride - 1) / Stride];
        for (var i = 0; i < durations.Length; i++)
        {
            var call = i * Stride;
            if (_started[call] == 0 || _ended[call] == 0)
                throw new InvalidOperationException($"call {call} has no {(_started[call] == 0 ? "start" : "end")} timestamp");
            durations[i] = _ended[call] - _started[call];
        }
        Array.Sort(durations);
        return (ToMs(NearestRank(durations, 0.50)), ToMs(NearestRank(durations, 0.99)));
    }

    private static long NearestRank(long[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
