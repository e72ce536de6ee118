using System.Collections.Concurrent;

namespace Fanout.Tests.RunsIndex;

/// <summary>Tasks the runs index specs start by the hundred: quick ones, a failing one, and one held until released.</summary>
public static class RunsIndexTasks
{
    private static readonly TaskEnvironment Env = new("runs_index");

    /// <summary>Held runs, by input: each waits until its spec releases it (or it is cancelled).</summary>
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Holds = new();

    public static readonly TaskDefinition<int, int> Quick = Env.Task("quick", (int x, CancellationToken ct) => Task.FromResult(x + 1));

    public static readonly TaskDefinition<int, int> Other = Env.Task("other", (int x, CancellationToken ct) => Task.FromResult(x * 2));

    /// <summary>Calls <see cref="Quick"/> a few times, so the run has children (and journal rows) to purge.</summary>
    public static readonly TaskDefinition<int, int> FanOut = Env.Task("fan_out", async (int n, CancellationToken ct) =>
    {
        var calls = Enumerable.Range(0, n).Select(i => Quick.InvokeAsync(i)).ToList();
        return (await Task.WhenAll(calls)).Sum();
    });

    public static readonly TaskDefinition<int, int> Fails = Env.Task("fails",
        (int x, CancellationToken ct) => Task.FromException<int>(new InvalidOperationException($"failed on purpose with {x}")));

    public static readonly TaskDefinition<string, string> Held = Env.Task("held", async (string key, CancellationToken ct) =>
    {
        await Hold(key).Task.WaitAsync(ct);
        return key;
    });

    /// <summary>Lets the held run of <paramref name="key"/> end, whether or not its body has started yet.</summary>
    public static void Release(string key) => Hold(key).SetResult();

    private static TaskCompletionSource Hold(string key) =>
        Holds.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
