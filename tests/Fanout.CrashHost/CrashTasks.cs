using static Fanout.Workflow;

namespace Fanout.CrashHost;

/// <summary>Fan-outs whose every executed item leaves a line in a file, so a test can count executions.</summary>
public static class CrashTasks
{
    /// <summary>How many items the bounded map runs at once; bounds how many executions a crash can lose.</summary>
    public const int Concurrency = 4;

    /// <summary>Items per branch of the tree.</summary>
    public const int BranchSize = 25;

    private static readonly string LogPath = Environment.GetEnvironmentVariable("FANOUT_CRASH_LOG") is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException("FANOUT_CRASH_LOG is not set");

    private static readonly TaskEnvironment Env = new("crash");

    /// <summary>One item: a little work, then a line in the log, then the result.</summary>
    public static readonly TaskDefinition<int, int> Item = Env.Task("item", async (int i, CancellationToken ct) =>
    {
        await Task.Delay(40, ct);
        return Log(i);
    });

    /// <summary>The bounded run's root: every item through a map with at most <see cref="Concurrency"/> in flight.</summary>
    public static readonly TaskDefinition<int, int[]> Main = Env.Task("main", (int n, CancellationToken ct) =>
        Map(Item, Enumerable.Range(0, n), Concurrency));

    /// <summary>
    /// A leaf of the tree: all start at once, and finish spread over about 5 s, so a spec that kills the process
    /// once a quarter have run does so well before the last (spread over 1.5 s, a loaded machine's late kill
    /// came after all of them).
    /// </summary>
    public static readonly TaskDefinition<int, int> Leaf = Env.Task("leaf", async (int i, CancellationToken ct) =>
    {
        await Task.Delay(100 * (i % 50), ct);
        return Log(i);
    });

    /// <summary>A mid-level parent: its branch's leaves, all at once.</summary>
    public static readonly TaskDefinition<int, int[]> Branch = Env.Task("branch", async (int first, CancellationToken ct) =>
        await Task.WhenAll(Enumerable.Range(first, BranchSize).Select(i => Leaf.InvokeAsync(i))));

    /// <summary>The tree run's root: branches of <see cref="BranchSize"/> leaves, everything in flight at once.</summary>
    public static readonly TaskDefinition<int, int[]> Tree = Env.Task("tree", async (int n, CancellationToken ct) =>
    {
        var branches = await Task.WhenAll(Enumerable.Range(0, n / BranchSize).Select(b => Branch.InvokeAsync(b * BranchSize)));
        return branches.SelectMany(leaves => leaves).ToArray();
    });

    private static int Log(int i)
    {
        lock (LogPath) File.AppendAllText(LogPath, $"{Environment.ProcessId} {i}\n");
        return i * 2;
    }
}
