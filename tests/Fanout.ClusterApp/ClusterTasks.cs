namespace Fanout.ClusterApp;

/// <summary>What a leaf ran on: its value doubled, and the node (FANOUT_NODE_NAME) that ran it.</summary>
public sealed record Ran(int Value, string Node);

/// <summary>
/// A fan-out of <paramref name="Count"/> leaves that take <paramref name="DelayMs"/>, except the slow half
/// (<see cref="IsSlow"/>) which takes <paramref name="SlowDelayMs"/> when it is set, so a spec can act while the
/// fast half is done and the slow half runs. For a leaf, Count is its position.
/// </summary>
public sealed record Fan(int Count, int DelayMs, int SlowDelayMs = 0)
{
    public Fan Item(int i) => new(i, SlowDelayMs > 0 && IsSlow(i) ? SlowDelayMs : DelayMs);

    /// <summary>Leaves 2, 3, 6, 7, ...: two in a row, so nodes taking turns each get slow and fast ones.</summary>
    public static bool IsSlow(int position) => position % 4 >= 2;
}

/// <summary>
/// Tasks whose every start and end is written to the file named by FANOUT_TEST_LOG (one line each:
/// "start|end &lt;what&gt; &lt;node&gt;"), so a spec can tell which node ran what, and what ran twice.
/// </summary>
public static class ClusterTasks
{
    public static readonly TaskEnvironment Env = new("cluster");
    public static readonly TaskEnvironment Gpu = new("gpu", role: "gpu");

    public static readonly TaskDefinition<Fan, Ran> Leaf = Env.Task("leaf", (Fan item, CancellationToken ct) => RunLeaf(item, ct));

    /// <summary>
    /// Calls every leaf. With a slow half, it gathers the fast half first and writes "fast-done parent": the
    /// parent only hears of an outcome once it is journaled, so a spec that sees that line knows the fast
    /// half is durable. Then it gathers the slow half. Results come back in position order either way.
    /// </summary>
    public static readonly TaskDefinition<Fan, Ran[]> FanOut = Env.Task("fan", async (Fan fan, CancellationToken ct) =>
    {
        Trace.Write("start", "parent");
        var calls = new Task<Ran>[fan.Count];
        var positions = Enumerable.Range(0, fan.Count).ToList();
        var fast = fan.SlowDelayMs > 0 ? positions.Where(i => !Fan.IsSlow(i)).ToList() : positions;
        foreach (var i in fast) calls[i] = Leaf.InvokeAsync(fan.Item(i));
        await Workflow.Gather(fast.Select(i => calls[i]));
        if (fan.SlowDelayMs > 0)
        {
            Trace.Write("fast-done", "parent");
            var slow = positions.Where(Fan.IsSlow).ToList();
            foreach (var i in slow) calls[i] = Leaf.InvokeAsync(fan.Item(i));
            await Workflow.Gather(slow.Select(i => calls[i]));
        }
        Trace.Write("end", "parent");
        return calls.Select(c => c.Result).ToArray();
    });

    public static readonly TaskDefinition<Fan, Ran> GpuLeaf = Gpu.Task("leaf", (Fan item, CancellationToken ct) => RunLeaf(item, ct));

    /// <summary>Leaves that only nodes with the "gpu" role may run, called from a parent any node may run.</summary>
    public static readonly TaskDefinition<Fan, Ran[]> FanOutToGpu = Env.Task("fan_gpu", async (Fan fan, CancellationToken ct) =>
    {
        var calls = new List<Task<Ran>>();
        for (var i = 0; i < fan.Count; i++) calls.Add(GpuLeaf.InvokeAsync(fan.Item(i)));
        return await Workflow.Gather(calls);
    });

    private static async Task<Ran> RunLeaf(Fan item, CancellationToken ct)
    {
        Trace.Write("start", $"leaf-{item.Count}");
        if (item.DelayMs > 0) await Task.Delay(item.DelayMs, ct);
        Trace.Write("end", $"leaf-{item.Count}");
        return new Ran(item.Count * 2, Trace.Node);
    }
}
