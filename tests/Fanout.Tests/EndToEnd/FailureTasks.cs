using System.Collections.Concurrent;
using static Fanout.Workflow;

namespace Fanout.Tests.EndToEnd;

/// <summary>Tasks that fail, time out or wait to be cancelled, with probes the specs read.</summary>
public static class FailureTasks
{
    private static readonly TaskEnvironment Env = new("failures",
        new TaskOptions { RetryBackoff = TimeSpan.FromMilliseconds(20), MaxRetryBackoff = TimeSpan.FromMilliseconds(100) });

    /// <summary>Attempts seen per key, so each spec counts its own.</summary>
    public static readonly ConcurrentDictionary<string, int> Attempts = new();

    public static readonly TaskDefinition<string, string> FailsTwiceThenSucceeds = Env.Task("fails_twice",
        (string key, CancellationToken ct) =>
        {
            var attempt = Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            return attempt <= 2
                ? throw new InvalidOperationException($"transient failure {attempt}")
                : Task.FromResult($"{key} ok on attempt {attempt}");
        },
        new TaskOptions { Retries = 2 });

    public static readonly TaskDefinition<string, int> AlwaysFails = Env.Task("always_fails",
        (string key, CancellationToken ct) =>
        {
            Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            return ThrowDeep(key);
        },
        new TaskOptions { Retries = 1 });

    private static Task<int> ThrowDeep(string key) => throw new ArgumentException($"bad value for {key}");

    public static readonly TaskDefinition<int, int> FailsOnMultiplesOfThree = Env.Task("fails_on_3",
        (int x, CancellationToken ct) => x % 3 == 0 ? throw new InvalidDataException($"{x} is a multiple of 3") : Task.FromResult(x));

    public static readonly TaskDefinition<int, string[]> CollectFailures = Env.Task("collect_failures",
        async (int n, CancellationToken ct) =>
        {
            var outcomes = await Gather(Enumerable.Range(0, n).Select(i => FailsOnMultiplesOfThree.InvokeAsync(i)), returnExceptions: true);
            return outcomes.Select(o => o.IsSuccess
                ? $"ok {o.Value}"
                : o.Exception is ActionFailedException failed ? $"failed {failed.RemoteType}: {failed.RemoteMessage}" : "?").ToArray();
        });

    public static readonly TaskDefinition<int, string> GatherThrows = Env.Task("gather_throws",
        async (int n, CancellationToken ct) =>
        {
            try
            {
                await Gather(Enumerable.Range(0, n).Select(i => FailsOnMultiplesOfThree.InvokeAsync(i)));
                return "no exception";
            }
            catch (GatherException e)
            {
                return $"{e.Failures.Count} of {e.Total}: " + string.Join(",", e.Failures.Select(f => f.Index));
            }
        });

    /// <summary>Times out on its first attempt (it ignores its token), then returns quickly.</summary>
    public static readonly ConcurrentDictionary<string, bool> TokenFiredOnTimeout = new();

    public static readonly TaskDefinition<string, string> SlowOnce = Env.Task("slow_once",
        async (string key, CancellationToken ct) =>
        {
            var attempt = Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (attempt == 1)
            {
                ct.Register(() => TokenFiredOnTimeout[key] = true);
                await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            return $"attempt {attempt}";
        },
        new TaskOptions { Timeout = TimeSpan.FromMilliseconds(300), Retries = 1 });

    public static readonly TaskDefinition<string, string> AlwaysSlow = Env.Task("always_slow",
        async (string key, CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return "never";
        },
        new TaskOptions { Timeout = TimeSpan.FromMilliseconds(200) });

    // Cancellation: children block on their token; the spec counts the ones that started and the tokens that fired.
    public static int BlockedStarted;
    public static int BlockedCancelled;

    public static readonly TaskDefinition<int, int> BlockUntilCancelled = Env.Task("block_until_cancelled",
        async (int x, CancellationToken ct) =>
        {
            Interlocked.Increment(ref BlockedStarted);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return x;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref BlockedCancelled);
                throw;
            }
        });

    public static readonly TaskDefinition<int, int[]> FanOutAndBlock = Env.Task("fan_out_and_block",
        async (int n, CancellationToken ct) => await Gather(Enumerable.Range(0, n).Select(i => BlockUntilCancelled.InvokeAsync(i))));
}
