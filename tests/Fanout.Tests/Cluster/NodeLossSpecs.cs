using System.Diagnostics;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// Losing workers mid-run, for real: kill -9 of a worker, kill -9 of the worker running the run's parent
/// action, SIGTERM (a graceful leave), and every process killed and started again. Each run has a fast
/// half (gathered, so journaled, before the blow) and a slow half (in flight at the blow), so the specs can
/// tell what ran again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeLossSpecs(ITestOutputHelper output)
{
    private const int Leaves = HalfSlowRun.Leaves;
    private static readonly TimeSpan Within = HalfSlowRun.Within;
    private static readonly Fan HalfFastHalfSlow = HalfSlowRun.Fan;

    [Fact]
    public async Task A_worker_killed_mid_run_loses_nothing_its_in_flight_actions_run_again_on_the_other()
    {
        await using var midway = await StartRunToMidwayAsync();
        var (cluster, run, parentNode) = (midway.Cluster, midway.Run, midway.ParentNode);
        var victim = parentNode == "worker-1" ? "worker-2" : "worker-1";
        var survivor = parentNode;

        var inFlight = InFlightOn(cluster, victim);
        Assert.NotEmpty(inFlight);
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        cluster.Kill(victim);

        await AssertRunCompletesIntactAsync(run);

        // The dead node's unfinished leaves started again on the survivor, after the kill.
        var trace = cluster.Trace();
        var restarts = inFlight.Select(leaf => trace.FirstOrDefault(t => t.What == "start" && t.Subject == leaf && t.Node == survivor && t.AtMs > killedAt))
            .ToList();
        Assert.All(restarts, Assert.NotNull);
        var resumeSeconds = (restarts.Min(r => r!.AtMs) - killedAt) / 1000.0;
        output.WriteLine($"kill -9 of {victim} with {inFlight.Count} leaves in flight: the first ran again on {survivor} after {resumeSeconds:F1} s");
        Console.WriteLine($"[cluster] kill -9 of a worker -> its in-flight actions running again elsewhere: {resumeSeconds:F1} s");
    }

    [Fact]
    public async Task Killing_the_node_running_the_parent_resumes_the_parent_elsewhere_and_finished_children_do_not_run_again()
    {
        await using var midway = await StartRunToMidwayAsync();
        var (cluster, run, parentNode) = (midway.Cluster, midway.Run, midway.ParentNode);
        var survivor = parentNode == "worker-1" ? "worker-2" : "worker-1";
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        cluster.Kill(parentNode);

        await AssertRunCompletesIntactAsync(run);

        var trace = cluster.Trace();
        var parentAgain = trace.FirstOrDefault(t => t is { What: "start", Subject: "parent" } && t.Node == survivor && t.AtMs > killedAt);
        Assert.NotNull(parentAgain);
        var root = (await run.GetActionsAsync(new ActionQuery(Limit: 1))).Actions[0];
        Assert.True(root.Attempts >= 2, $"the parent ran {root.Attempts} time(s)");
        // Re-attached, not re-run: the fast children finished before the kill each started exactly once.
        foreach (var fast in Enumerable.Range(0, Leaves).Where(i => !Fan.IsSlow(i)))
            Assert.Single(trace, t => t.What == "start" && t.Subject == $"leaf-{fast}");
        output.WriteLine($"kill -9 of the parent's node ({parentNode}): the parent ran again on {survivor} after {(parentAgain!.AtMs - killedAt) / 1000.0:F1} s");
    }

    [Fact]
    public async Task A_worker_leaving_gracefully_mid_run_fails_no_action()
    {
        await using var midway = await StartRunToMidwayAsync();
        var (cluster, run, parentNode) = (midway.Cluster, midway.Run, midway.ParentNode);
        var clock = Stopwatch.StartNew();
        // The parent's node leaves: the harder case (its parent is handed off, its leaves drain).
        cluster.Worker(parentNode).Process.Terminate();

        Assert.Equal(0, await cluster.Worker(parentNode).Process.WaitForExitAsync(Within));
        var left = clock.Elapsed;
        await AssertRunCompletesIntactAsync(run);
        Assert.Contains("fanout node left the cluster", cluster.Worker(parentNode).Process.Output);
        output.WriteLine($"SIGTERM of {parentNode}: exited after {left.TotalSeconds:F1} s, run done {clock.Elapsed.TotalSeconds:F1} s after the signal");
    }

    [Fact]
    public async Task Every_process_killed_mid_run_and_started_again_resumes_the_run_to_completion()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await ClusterChecks.StartTwoWorkersAsync(db, output);
        string runId;
        await using (var client = await ClusterChecks.ConnectAsync(cluster))
        {
            var run = await client.RunAsync(ClusterTasks.FanOut, HalfFastHalfSlow);
            runId = run.Id;
            await SlowHalfStartedOnBothAsync(cluster);
        }

        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var worker in cluster.Workers.ToList()) worker.Process.KillHard();
        cluster.KillLighthouse();

        await cluster.StartLighthouseAsync();
        await Task.WhenAll(cluster.StartWorkerAsync("worker-1"), cluster.StartWorkerAsync("worker-2"));

        // Nobody asks for the run: it resumes by itself (its parent runs again and ends)...
        await Eventually.True(() => cluster.Trace().Any(t => t is { What: "end", Subject: "parent" } && t.AtMs > killedAt), Within,
            "the run's parent to run again and end after the restart, unasked");
        // ...and its ledger says it succeeded, every action once.
        var summary = await Eventually.Value(() => ClusterChecks.SummaryAsync(cluster, runId),
            s => s.ValueKind == System.Text.Json.JsonValueKind.Object && s.GetProperty("status").GetString() == "succeeded", Within,
            "the run to be recorded as succeeded");
        Assert.Equal(Leaves + 1, ClusterChecks.Count(summary, "succeeded"));
        Assert.Equal(Leaves + 1, summary.GetProperty("totalActions").GetInt32());

        var trace = cluster.Trace();
        foreach (var fast in Enumerable.Range(0, Leaves).Where(i => !Fan.IsSlow(i)))
            Assert.Single(trace, t => t.What == "start" && t.Subject == $"leaf-{fast}");
    }

    /// <summary>
    /// A lighthouse and two workers on a fresh database, a client, and a run whose fast half is gathered and
    /// whose slow half runs on both workers: the moment each spec strikes.
    /// </summary>
    private async Task<Midway> StartRunToMidwayAsync()
    {
        var db = await PostgresDatabase.CreateAsync();
        LoopbackCluster? cluster = null;
        FanoutClient? client = null;
        try
        {
            cluster = await ClusterChecks.StartTwoWorkersAsync(db, output);
            client = await ClusterChecks.ConnectAsync(cluster);
            var run = await client.RunAsync(ClusterTasks.FanOut, HalfFastHalfSlow);
            await SlowHalfStartedOnBothAsync(cluster);
            var parentNode = HalfSlowRun.ParentNode(cluster);
            return new Midway(db, cluster, client, run, parentNode);
        }
        catch
        {
            if (client is not null) await client.DisposeAsync();
            if (cluster is not null) await cluster.DisposeAsync();
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>What a spec strikes at, torn down in reverse order of its making.</summary>
    private sealed record Midway(PostgresDatabase Db, LoopbackCluster Cluster, FanoutClient Client, RunHandle<Ran[]> Run, string ParentNode)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Cluster.DisposeAsync();
            await Db.DisposeAsync();
        }
    }

    private static Task AssertRunCompletesIntactAsync(RunHandle<Ran[]> run) => HalfSlowRun.AssertCompletesIntactAsync(run);

    private static Task SlowHalfStartedOnBothAsync(LoopbackCluster cluster) => HalfSlowRun.SlowHalfStartedOnBothAsync(cluster);

    private static List<string> InFlightOn(LoopbackCluster cluster, string node) => HalfSlowRun.InFlightOn(cluster, node);
}
