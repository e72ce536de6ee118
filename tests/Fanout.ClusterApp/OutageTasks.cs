namespace Fanout.ClusterApp;

/// <summary>A two-level fan-out: <paramref name="Parents"/> parents under the root, each calling <paramref name="LeavesEach"/> leaves of <paramref name="LeafMs"/>.</summary>
public sealed record Tree(int Parents, int LeavesEach, int LeafMs)
{
    /// <summary>Actions in the run: the root, its parents and their leaves.</summary>
    public int Actions() => 1 + Parents + Parents * LeavesEach;

    /// <summary>What the root returns: the sum of every leaf's value (leaf j of parent p is worth p * LeavesEach + j).</summary>
    public long ExpectedSum() => (long)Parents * LeavesEach * (Parents * LeavesEach - 1) / 2;
}

/// <summary>One parent of a <see cref="Tree"/>: which it is, and its leaves.</summary>
public sealed record Branch(int Index, int Leaves, int LeafMs);

/// <summary>One leaf of a <see cref="Tree"/>.</summary>
public sealed record Twig(int Index, int LeafMs);

/// <summary>
/// A run long and wide enough to take the journal away in its middle: a root, parents that fan out
/// (so parents' child calls are in flight when the journal goes), and leaves that write "start|end leaf-N"
/// to the trace, so a spec can tell which ran twice and when work resumed.
/// </summary>
public static class OutageTasks
{
    public static readonly TaskEnvironment Env = new("outage");

    public static readonly TaskDefinition<Twig, long> Leaf = Env.Task("leaf", async (Twig twig, CancellationToken ct) =>
    {
        Trace.Write("start", $"leaf-{twig.Index}");
        await Task.Delay(twig.LeafMs, ct);
        Trace.Write("end", $"leaf-{twig.Index}");
        return (long)twig.Index;
    });

    public static readonly TaskDefinition<Branch, long> Parent = Env.Task("parent", async (Branch branch, CancellationToken ct) =>
    {
        var leaves = Enumerable.Range(0, branch.Leaves).Select(j => Leaf.InvokeAsync(new Twig(branch.Index * branch.Leaves + j, branch.LeafMs)));
        return (await Workflow.Gather(leaves)).Sum();
    });

    public static readonly TaskDefinition<Tree, long> Root = Env.Task("root", async (Tree tree, CancellationToken ct) =>
    {
        var parents = Enumerable.Range(0, tree.Parents).Select(p => Parent.InvokeAsync(new Branch(p, tree.LeavesEach, tree.LeafMs)));
        return (await Workflow.Gather(parents)).Sum();
    });
}
