using System.Net;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// An operator's leave through a node's HTTP API (<c>fanout cluster leave</c>), on real processes mid-run: the
/// worker drains as it does on SIGTERM, exits 0, and the run completes intact. (Down: OperatorDownSpecs.)
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OperatorMembershipSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_asked_to_leave_through_another_nodes_api_drains_exits_0_and_the_run_completes()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await ClusterChecks.StartTwoWorkersAsync(db, output);
        await using var client = await ClusterChecks.ConnectAsync(cluster);
        var run = await HalfSlowRun.StartAsync(client, cluster);
        // The parent's node leaves: the harder case (its parent is handed off, its leaves drain).
        var leaving = cluster.Worker(HalfSlowRun.ParentNode(cluster));
        var asked = cluster.Workers.Single(w => w != leaving);
        using var events = await OperatorHttp.TailEventsAsync(asked);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (status, body) = await OperatorHttp.MembershipAsync(asked, "leave", leaving.Address);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("leave", body.GetProperty("action").GetString());
        Assert.Equal(leaving.Address, body.GetProperty("address").GetString());
        Assert.Equal(0, await leaving.Process.WaitForExitAsync(HalfSlowRun.Within));
        var exited = clock.Elapsed;
        Assert.Contains("fanout node left the cluster", leaving.Process.Output);
        await HalfSlowRun.AssertCompletesIntactAsync(run);
        var startedTwice = cluster.Trace().Where(t => t.What == "start" && t.Subject.StartsWith("leaf-", StringComparison.Ordinal))
            .GroupBy(t => t.Subject).Count(g => g.Count() > 1);
        output.WriteLine($"POST /cluster/leave of {leaving.Name}: exited after {exited.TotalSeconds:F1} s, run done {clock.Elapsed.TotalSeconds:F1} s " +
                         $"after the request; {startedTwice} leaf/leaves started twice (0 when the drain let every running body finish)");
        await Eventually.True(() => events.Has("MemberLeft", leaving.Address) && events.Has("MemberRemoved", leaving.Address),
            HalfSlowRun.Within, $"the event stream of {asked.Name} to show {leaving.Name} leaving and removed");
    }
}
