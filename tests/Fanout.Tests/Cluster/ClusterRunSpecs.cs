using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// A lighthouse and worker nodes as separate processes on loopback, journaling to PostgreSQL: runs spread
/// over the workers, an app process submits runs as a client member, and roles decide where actions go.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterRunSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_run_spreads_its_actions_over_both_workers_and_gathers_correct_results()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);

        var run = await client.RunAsync(ClusterTasks.FanOut, new Fan(40, 20));
        var result = await run.WaitAsync(Within, "the fan-out over two workers to end");

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 2), result.Select(r => r.Value));
        Assert.Equal(["worker-1", "worker-2"], result.Select(r => r.Node).Distinct().Order());
        var summary = await run.GetSummaryAsync();
        Assert.Equal(41, summary.Counts[ActionStatus.Succeeded]);
        // The trace agrees with the results: each leaf ran once, where its result says.
        var starts = cluster.Trace().Where(t => t is { What: "start" } && t.Subject.StartsWith("leaf-", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, starts.Count);
        Assert.All(result.Select((r, i) => (r, i)), x => Assert.Contains(starts, s => s.Subject == $"leaf-{x.i}" && s.Node == x.r.Node));
        output.WriteLine($"leaves per node: {string.Join(", ", result.GroupBy(r => r.Node).Select(g => $"{g.Key} {g.Count()}"))}");
    }

    [Fact]
    public async Task An_app_process_runs_role_bound_actions_only_on_nodes_with_the_role_and_a_run_with_no_such_node_waits_then_fails()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output);
        await cluster.StartWorkerAsync("worker-1", new Dictionary<string, string> { ["FANOUT_PLACEMENT_TIMEOUT"] = "4" });
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 1);

        // No node has the role: the run waits, and says so, and then fails with an error naming the role.
        await using (var client = await ClusterChecks.ConnectAsync(cluster))
        {
            var waiting = await client.RunAsync(ClusterTasks.FanOutToGpu, new Fan(3, 0));
            var summary = await Eventually.Value(() => waiting.GetSummaryAsync(), s => s.WaitingFor is not null, Within,
                "the run to say what it waits for");
            Assert.Contains("wait for a live node with role 'gpu'", summary.WaitingFor);
            var failure = await Assert.ThrowsAnyAsync<FanoutException>(() => waiting.WaitAsync(Within, "the run with no node of its role to fail"));
            Assert.Contains("with role 'gpu'", failure.ToString());
            Assert.Contains("PlacementTimeout", failure.ToString());
        }

        // A node with the role joins; an app process (a client member) runs the fan-out: every leaf ran there.
        await cluster.StartWorkerAsync("gpu-1:gpu");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        using var app = HostProcess.Start(RepoPaths.TestProgram("Fanout.ClusterApp"), new Dictionary<string, string>(), cluster.Seed, "fan_gpu", "12");
        var line = await app.WaitForLineAsync("result ", Within);
        Assert.Equal(0, await app.WaitForExitAsync(Within));
        var result = System.Text.Json.JsonSerializer.Deserialize<Ran[]>(line["result ".Length..])!;
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 2), result.Select(r => r.Value));
        Assert.All(result, r => Assert.Equal("gpu-1", r.Node));
        Assert.Contains("connected as akka.tcp://fanout@127.0.0.1:", app.Output);
    }
}
