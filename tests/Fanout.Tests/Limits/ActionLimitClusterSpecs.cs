using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Limits;

/// <summary>
/// MaxActionsPerRun on a real cluster (two worker processes, PostgreSQL): the run, wherever sharding put it, fails the
/// calls beyond it while the calls within it run on both workers; the parent's gather reports them by name.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ActionLimitClusterSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Calls_beyond_the_limit_fail_and_the_parent_hears_which_while_the_rest_ran()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output);
        var limit = new Dictionary<string, string> { ["FANOUT_MAX_ACTIONS_PER_RUN"] = "9" };
        await Task.WhenAll(cluster.StartWorkerAsync("worker-1", limit), cluster.StartWorkerAsync("worker-2", limit));
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);

        var run = await client.RunAsync(ClusterTasks.FanOut, new Fan(12, 0));
        var failure = await Assert.ThrowsAsync<ActionFailedException>(() => run.WaitAsync(Within, "the fan-out over the action limit to fail"));

        Assert.Contains("MaxActionsPerRun", failure.RemoteMessage);
        Assert.Contains($"Run {run.Id} already has 9 actions", failure.RemoteMessage);
        var summary = await run.GetSummaryAsync();
        Assert.Equal(9, summary.TotalActions); // the root and eight leaves; the other four were never recorded
        Assert.Equal(8, summary.Counts.GetValueOrDefault(ActionStatus.Succeeded));
        output.WriteLine(failure.RemoteMessage);
    }
}
