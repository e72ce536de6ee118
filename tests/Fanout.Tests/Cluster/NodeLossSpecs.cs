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
    private const int Leaves = 20;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(120);
    private static readonly Fan HalfFastHalfSlow = new(Leaves, DelayMs: 100, SlowDelayMs: 6_000);

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
        await using var cluster = await StartTwoWorkersAsync(db);
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
            cluster = await StartTwoWorkersAsync(db);
            client = await ClusterChecks.ConnectAsync(cluster);
            var run = await client.RunAsync(ClusterTasks.FanOut, HalfFastHalfSlow);
            await SlowHalfStartedOnBothAsync(cluster);
            var parentNode = cluster.Trace().Last(t => t is { What: "start", Subject: "parent" }).Node;
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

    /// <summary>The run ends with every leaf's result once and one succeeded outcome per action.</summary>
    private static async Task AssertRunCompletesIntactAsync(RunHandle<Ran[]> run)
    {
        var result = await run.WaitAsync(Within, "the run that lost a node to end");
        AssertAllLeavesOnce(result);
        await AssertEveryActionSucceededOnceAsync(run);
    }

    private async Task<LoopbackCluster> StartTwoWorkersAsync(PostgresDatabase db)
    {
        var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        return cluster;
    }

    /// <summary>
    /// Waits until the parent has gathered the fast half (so it is journaled: a parent hears of an outcome only
    /// once it is durable) and both workers run some of the slow half.
    /// </summary>
    private static Task SlowHalfStartedOnBothAsync(LoopbackCluster cluster) =>
        Eventually.True(() =>
        {
            var trace = cluster.Trace();
            var slowOn = trace.Where(t => t.What == "start" && IsSlowLeaf(t.Subject)).Select(t => t.Node).Distinct().Count();
            return slowOn == 2 && trace.Any(t => t is { What: "fast-done", Subject: "parent" });
        }, Within, "the fast half to be gathered and the slow half to run on both workers");

    private static bool IsSlowLeaf(string subject) =>
        subject.StartsWith("leaf-", StringComparison.Ordinal) && Fan.IsSlow(int.Parse(subject[5..], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Leaves that started on the node and have not ended there.</summary>
    private static List<string> InFlightOn(LoopbackCluster cluster, string node)
    {
        var trace = cluster.Trace().Where(t => t.Node == node && t.Subject.StartsWith("leaf-", StringComparison.Ordinal)).ToList();
        return trace.Where(t => t.What == "start").Select(t => t.Subject)
            .Where(leaf => !trace.Any(t => t.What == "end" && t.Subject == leaf)).Distinct().ToList();
    }

    private static void AssertAllLeavesOnce(Ran[] result) =>
        Assert.Equal(Enumerable.Range(0, Leaves).Select(i => i * 2), result.Select(r => r.Value));

    /// <summary>The ledger holds one outcome per action, all succeeded: nothing lost, nothing failed, nothing twice.</summary>
    private static async Task AssertEveryActionSucceededOnceAsync(RunHandle<Ran[]> run)
    {
        var summary = await run.GetSummaryAsync();
        Assert.Equal(Leaves + 1, summary.TotalActions);
        Assert.Equal(Leaves + 1, summary.Counts.GetValueOrDefault(ActionStatus.Succeeded));
        var page = await run.GetActionsAsync(new ActionQuery(Limit: 100));
        Assert.Equal(Leaves + 1, page.Actions.Select(a => a.ActionId).Distinct().Count());
        Assert.All(page.Actions, a => Assert.Equal(ActionStatus.Succeeded, a.Status));
    }
}
