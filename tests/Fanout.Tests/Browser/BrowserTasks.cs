using System.Runtime.CompilerServices;
using static Fanout.Workflow;

namespace Fanout.Tests.Browser;

/// <summary>The runs the browser specs look at: a grouped fan-out with failures, and fan-outs held by a gate the spec opens.</summary>
public static class BrowserTasks
{
    private static readonly TaskEnvironment Env = new("browser");

    /// <summary>Every leaf whose number is a multiple of this fails (in <see cref="ThrowFromBrowserLeaf"/>), once, without retry.</summary>
    public const int FailEvery = 4;

    public static readonly TaskDefinition<int, int> Leaf = Env.Task("leaf",
        (int x, CancellationToken ct) => x % FailEvery == 0 ? ThrowFromBrowserLeaf(x) : Task.FromResult(x * 10));

    /// <summary>The frame a failed leaf's stack trace names, so a spec can find it on the action page.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> ThrowFromBrowserLeaf(int x) => throw new InvalidOperationException($"leaf {x} refuses multiples of {FailEvery}");

    public const string FailingFrame = nameof(ThrowFromBrowserLeaf);

    /// <summary>
    /// Leaves under nested groups: region/eu gets <c>PerGroup</c> leaves, region/us as many, and "checks" as many at the top
    /// level; failures are gathered, not thrown, so every leaf finishes and the run succeeds with failed actions.
    /// </summary>
    public static readonly TaskDefinition<int, int> Regions = Env.Task("regions", async (int perGroup, CancellationToken ct) =>
    {
        var calls = new List<Task<int>>();
        using (Group("region"))
        {
            using (Group("eu")) calls.AddRange(Enumerable.Range(0, perGroup).Select(i => Leaf.InvokeAsync(i)));
            using (Group("us")) calls.AddRange(Enumerable.Range(perGroup, perGroup).Select(i => Leaf.InvokeAsync(i)));
        }
        using (Group("checks")) calls.AddRange(Enumerable.Range(2 * perGroup, perGroup).Select(i => Leaf.InvokeAsync(i)));
        var outcomes = await Gather(calls, returnExceptions: true);
        return outcomes.Count(o => !o.IsSuccess);
    });

    /// <summary>How many leaves <see cref="Regions"/> fails for <paramref name="perGroup"/> leaves a group.</summary>
    public static int FailedLeaves(int perGroup) => Enumerable.Range(0, 3 * perGroup).Count(i => i % FailEvery == 0);

    public static readonly TaskDefinition<(string Gate, int Item), int> GatedLeaf = Env.Task("gated_leaf",
        async ((string Gate, int Item) input, CancellationToken ct) =>
        {
            await Gate.PassAsync(input.Gate, ct);
            return input.Item;
        });

    /// <summary><c>Leaves</c> leaves in the group "gated", each waiting for one release of the gate <see cref="Gate"/> named.</summary>
    public static readonly TaskDefinition<(string Gate, int Leaves), int> Gated = Env.Task("gated",
        async ((string Gate, int Leaves) input, CancellationToken ct) =>
        {
            using (Group("gated"))
            {
                var items = await Gather(Enumerable.Range(0, input.Leaves).Select(i => GatedLeaf.InvokeAsync((input.Gate, i))));
                return items.Length;
            }
        });

    /// <summary>A task to start from the start page with JSON input.</summary>
    public static readonly TaskDefinition<int[], int> Sum = Env.Task("sum", (int[] values, CancellationToken ct) => Task.FromResult(values.Sum()));

    /// <summary>Registers these tasks (their static fields) before a runtime starts, so its start page lists them.</summary>
    public static void Define() => RuntimeHelpers.RunClassConstructor(typeof(BrowserTasks).TypeHandle);
}
