using Fanout.ClusterApp;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// A run whose fast half is gathered (so journaled) before a spec strikes and whose slow half is in flight on
/// both workers when it does, so the spec can tell what ran again: what the node-loss and operator specs share.
/// </summary>
internal static class HalfSlowRun
{
    public const int Leaves = 20;
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(120);
    public static readonly Fan Fan = new(Leaves, DelayMs: 100, SlowDelayMs: 6_000);

    /// <summary>Starts the run and returns it once <see cref="SlowHalfStartedOnBothAsync"/> holds.</summary>
    public static async Task<RunHandle<Ran[]>> StartAsync(FanoutClient client, LoopbackCluster cluster)
    {
        var run = await client.RunAsync(ClusterTasks.FanOut, Fan);
        await SlowHalfStartedOnBothAsync(cluster);
        return run;
    }

    /// <summary>
    /// Waits until the parent has gathered the fast half (so it is journaled: a parent hears of an outcome only
    /// once it is durable) and both workers run some of the slow half.
    /// </summary>
    public static Task SlowHalfStartedOnBothAsync(LoopbackCluster cluster) =>
        Eventually.True(() =>
        {
            var trace = cluster.Trace();
            var slowOn = trace.Where(t => t.What == "start" && IsSlowLeaf(t.Subject)).Select(t => t.Node).Distinct().Count();
            return slowOn == 2 && trace.Any(t => t is { What: "fast-done", Subject: "parent" });
        }, Within, "the fast half to be gathered and the slow half to run on both workers");

    /// <summary>The node running the run's parent action (its latest start).</summary>
    public static string ParentNode(LoopbackCluster cluster) => cluster.Trace().Last(t => t is { What: "start", Subject: "parent" }).Node;

    /// <summary>Leaves that started on the node and have not ended there.</summary>
    public static List<string> InFlightOn(LoopbackCluster cluster, string node)
    {
        var trace = cluster.Trace().Where(t => t.Node == node && t.Subject.StartsWith("leaf-", StringComparison.Ordinal)).ToList();
        return trace.Where(t => t.What == "start").Select(t => t.Subject)
            .Where(leaf => !trace.Any(t => t.What == "end" && t.Subject == leaf)).Distinct().ToList();
    }

    /// <summary>The run ends with every leaf's result once and one succeeded outcome per action.</summary>
    public static async Task AssertCompletesIntactAsync(RunHandle<Ran[]> run)
    {
        var result = await run.WaitAsync(Within, "the run that lost a node to end");
        Assert.Equal(Enumerable.Range(0, Leaves).Select(i => i * 2), result.Select(r => r.Value));
        // The ledger holds one outcome per action, all succeeded: nothing lost, nothing failed, nothing twice.
        var summary = await run.GetSummaryAsync();
        Assert.Equal(Leaves + 1, summary.TotalActions);
        Assert.Equal(Leaves + 1, summary.Counts.GetValueOrDefault(ActionStatus.Succeeded));
        var page = await run.GetActionsAsync(new ActionQuery(Limit: 100));
        Assert.Equal(Leaves + 1, page.Actions.Select(a => a.ActionId).Distinct().Count());
        Assert.All(page.Actions, a => Assert.Equal(ActionStatus.Succeeded, a.Status));
    }

    private static bool IsSlowLeaf(string subject) =>
        subject.StartsWith("leaf-", StringComparison.Ordinal) && Fan.IsSlow(int.Parse(subject[5..], System.Globalization.CultureInfo.InvariantCulture));
}
