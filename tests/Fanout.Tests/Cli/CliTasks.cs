using System.Collections.Concurrent;
using static Fanout.Workflow;

namespace Fanout.Tests.Cli;

/// <summary>
/// Tasks for the CLI specs: a run in two groups whose second group waits on a gate the spec opens, so a
/// watch can see the run going and then see it end.
/// </summary>
public static class CliTasks
{
    private static readonly TaskEnvironment Env = new("cli");

    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static TaskCompletionSource Gate(string key) => Gates.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static readonly TaskDefinition<int, int> Quick = Env.Task("quick", (int x) => Task.FromResult(x));

    public static readonly TaskDefinition<string, int> WaitForGate = Env.Task("wait_for_gate", async (string key, CancellationToken ct) =>
    {
        await Gate(key).Task.WaitAsync(ct);
        return 1;
    });

    /// <summary>Three quick children in "wave-1", then two in "wave-2/gated" that wait for the gate named by the input.</summary>
    public static readonly TaskDefinition<string, int> GatedWaves = Env.Task("gated_waves", async (string key, CancellationToken ct) =>
    {
        int first, second;
        using (Group("wave-1"))
            first = (await Gather(Enumerable.Range(0, 3).Select(i => Quick.InvokeAsync(i)))).Sum();
        using (Group("wave-2"))
        using (Group("gated"))
            second = (await Gather(Enumerable.Range(0, 2).Select(_ => WaitForGate.InvokeAsync(key)))).Sum();
        return first + second;
    });

    public static readonly TaskDefinition<string, int> Fails = Env.Task("fails", (string why) =>
        Task.FromException<int>(new InvalidOperationException($"failed on purpose: {why}")));

    /// <summary>Touches every task so the node's catalog lists them before a spec asks for them by name.</summary>
    public static IReadOnlyList<string> Names => [Quick.Name, WaitForGate.Name, GatedWaves.Name, Fails.Name];
}
