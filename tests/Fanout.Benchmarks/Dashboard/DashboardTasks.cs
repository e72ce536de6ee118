using static Fanout.Workflow;

namespace Fanout.Benchmarks.Dashboard;

/// <summary>
/// The runs the dashboard figures look at: a finished fan-out whose last thousand leaves failed (so a "failed"
/// filter must reach the end of the run) in two groups, one with a nested group; and a fan-out of slow leaves
/// that is still running while the pages are measured.
/// </summary>
internal static class DashboardTasks
{
    public const int FailingAtEnd = 1_000;

    public static readonly TaskEnvironment Env = new("dash");

    /// <summary>Fails for the last <see cref="FailingAtEnd"/> of <c>n</c> items (the input is (i, n)).</summary>
    public static readonly TaskDefinition<int[], int> Leaf = Env.Task("leaf", (int[] item) =>
        item[0] >= item[1] - FailingAtEnd
            ? throw new InvalidOperationException($"leaf {item[0]} fails, as the last {FailingAtEnd} do")
            : Task.FromResult(item[0]));

    /// <summary>Half the leaves in phase-1, a quarter in phase-2, a quarter in phase-2/shard-a; returns how many failed.</summary>
    public static readonly TaskDefinition<int, int> Main = Env.Task("main", async (int n) =>
    {
        var calls = new List<Task<int>>(n);
        using (Group("phase-1"))
            for (var i = 0; i < n / 2; i++) calls.Add(Leaf.InvokeAsync([i, n]));
        using (Group("phase-2"))
        {
            for (var i = n / 2; i < n * 3 / 4; i++) calls.Add(Leaf.InvokeAsync([i, n]));
            using (Group("shard-a"))
                for (var i = n * 3 / 4; i < n; i++) calls.Add(Leaf.InvokeAsync([i, n]));
        }
        var outcomes = await Gather(calls, returnExceptions: true);
        return outcomes.Count(o => !o.IsSuccess);
    });

    /// <summary>How long a slow leaf takes: with the default 1,000 slots, 100,000 of them take several minutes.</summary>
    public static TimeSpan SlowLeafTime { get; set; } = TimeSpan.FromSeconds(4);

    public static readonly TaskDefinition<int, int> SlowLeaf = Env.Task("slow_leaf", async (int i, CancellationToken ct) =>
    {
        // The work a slow leaf stands for, not a wait for something: the run must stay running while it is watched.
        await Task.Delay(SlowLeafTime, ct);
        return i;
    });

    public static readonly TaskDefinition<int, int> SlowMain = Env.Task("slow_main", async (int n) =>
    {
        var calls = new List<Task<int>>(n);
        using (Group("slow"))
            for (var i = 0; i < n; i++) calls.Add(SlowLeaf.InvokeAsync(i));
        return (await Task.WhenAll(calls)).Length;
    });
}
