namespace Fanout.ClusterApp;

/// <summary>A tree of <paramref name="Branches"/> parents of <paramref name="LeavesPerBranch"/> leaves that take <paramref name="LeafMs"/> each.</summary>
public sealed record DeliveryTree(int Branches, int LeavesPerBranch, int LeafMs);

/// <summary>One parent of a <see cref="DeliveryTree"/>: its position and its part of the tree.</summary>
public sealed record DeliveryBranch(int Position, int Leaves, int LeafMs);

/// <summary>One leaf of a <see cref="DeliveryTree"/>: its position in the whole tree.</summary>
public sealed record DeliveryTwig(int Index, int DelayMs);

/// <summary>One step of a <see cref="DeliveryTasks.Ticker"/>: its number and how long it takes.</summary>
public sealed record TickOrder(int Number, int DelayMs);

/// <summary>What a step saw: whether the spec had released the ticker by the time it ended.</summary>
public sealed record Tock(int Number, bool Released);

/// <summary>
/// Tasks for the delivery specs: a nested fan-out whose every leaf result can be checked (each leaf
/// returns its index doubled), and a parent that keeps running until the spec releases it. Bodies write
/// "start|end &lt;subject&gt;" to the spec's trace (<see cref="Trace"/>), so a spec can count what ran twice.
/// </summary>
public static class DeliveryTasks
{
    public static readonly TaskEnvironment Env = new("delivery");

    // The bodies below call tasks declared after them: null while the initializers run, set by the time any
    // body runs, hence the "!" where they are called.

    /// <summary>Calls every branch and returns all leaves' results in tree order.</summary>
    public static readonly TaskDefinition<DeliveryTree, int[]> Root = Env.Task("root", async (DeliveryTree tree, CancellationToken ct) =>
    {
        Trace.Write("start", "root");
        var branches = await Workflow.Gather(Enumerable.Range(0, tree.Branches)
            .Select(b => Parent!.InvokeAsync(new DeliveryBranch(b, tree.LeavesPerBranch, tree.LeafMs))));
        Trace.Write("end", "root");
        return branches.SelectMany(b => b).ToArray();
    });

    public static readonly TaskDefinition<DeliveryBranch, int[]> Parent = Env.Task("branch", async (DeliveryBranch branch, CancellationToken ct) =>
    {
        Trace.Write("start", $"branch-{branch.Position}");
        var first = branch.Position * branch.Leaves;
        var results = await Workflow.Gather(Enumerable.Range(first, branch.Leaves).Select(i => Leaf!.InvokeAsync(new DeliveryTwig(i, branch.LeafMs))));
        Trace.Write("end", $"branch-{branch.Position}");
        return results;
    });

    public static readonly TaskDefinition<DeliveryTwig, int> Leaf = Env.Task("twig", async (DeliveryTwig twig, CancellationToken ct) =>
    {
        Trace.Write("start", $"twig-{twig.Index}");
        if (twig.DelayMs > 0) await Task.Delay(twig.DelayMs, ct);
        Trace.Write("end", $"twig-{twig.Index}");
        return twig.Index * 2;
    });

    /// <summary>The most steps a ticker takes if the spec never releases it, so a broken spec does not run for ever.</summary>
    public const int MaxTicks = 2_000;

    /// <summary>
    /// A parent that calls one step after another until a step finds the spec's release file, then returns
    /// how many steps it took. Steps are children, so a ticker that runs again (its node left, its run moved)
    /// gets the steps already recorded back at once and goes on from there.
    /// </summary>
    public static readonly TaskDefinition<int, int> Ticker = Env.Task("ticker", async (int tickMs, CancellationToken ct) =>
    {
        Trace.Write("start", "ticker");
        for (var n = 0; n < MaxTicks; n++)
        {
            var tock = await Tick!.InvokeAsync(new TickOrder(n, tickMs));
            if (tock.Released)
            {
                Trace.Write("end", "ticker");
                return n + 1;
            }
        }
        throw new InvalidOperationException($"the ticker was not released after {MaxTicks} steps");
    });

    public static readonly TaskDefinition<TickOrder, Tock> Tick = Env.Task("tick", async (TickOrder order, CancellationToken ct) =>
    {
        if (order.DelayMs > 0) await Task.Delay(order.DelayMs, ct);
        Trace.Write("end", $"tick-{order.Number}");
        return new Tock(order.Number, File.Exists(ReleaseFile));
    });

    /// <summary>The file whose existence releases tickers: "release" beside the spec's trace file.</summary>
    public static string ReleaseFileFor(string traceFile) => Path.Combine(Path.GetDirectoryName(traceFile) ?? "", "release");

    private static string ReleaseFile => ReleaseFileFor(Environment.GetEnvironmentVariable("FANOUT_TEST_LOG") ?? "");
}
