using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// Load-aware placement across processes: a worker whose queue is full turns attempts away and says so,
/// the run waits for room (past its placement timeout, which is for missing nodes), every action runs once,
/// and meanwhile another run's attempts all go to the worker that has room.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PlacementClusterSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_full_worker_makes_its_run_wait_for_room_and_new_attempts_go_to_the_other_worker()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output);
        // "small" runs 2 bodies and queues 2 more; it alone has the gpu role, so the first run can only fill it.
        var small = await cluster.StartWorkerAsync("small:gpu", new Dictionary<string, string>
        {
            ["FANOUT_ACTION_SLOTS"] = "2", ["FANOUT_MAX_WAITING_ACTIONS"] = "2", ["FANOUT_PLACEMENT_TIMEOUT"] = "3",
        });
        await cluster.StartWorkerAsync("big", new Dictionary<string, string> { ["FANOUT_PLACEMENT_TIMEOUT"] = "3" });
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);

        // 16 gpu leaves of 700 ms: 2 run and 2 wait on small; the rest are turned away and wait for room.
        var filling = await client.RunAsync(ClusterTasks.FanOutToGpu, new Fan(16, 700));
        var waiting = await Eventually.Value(() => filling.GetSummaryAsync(), s => s.WaitingFor is not null, Within,
            "the run of gpu leaves to say it waits for room on the full worker");
        Assert.Contains("wait for room: every node with role 'gpu' is full", waiting.WaitingFor);

        // While it is full, another run's leaves (any worker may run them) all go to the worker with room.
        var other = await client.RunAsync(ClusterTasks.FanOut, new Fan(20, 0));
        var otherResult = await other.WaitAsync(Within, "the fan-out started while the small worker was full");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), otherResult.Select(r => r.Value));
        Assert.All(otherResult, r => Assert.Equal("big", r.Node));

        // The first run outlasts its 3 s placement timeout (it waits for room, not for a node) and each of its
        // leaves ran once, on the gpu worker: a turned-away attempt never started a body, though it counts as an attempt.
        var result = await filling.WaitAsync(Within, "the run of gpu leaves, which waited for room, to end");
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 2), result.Select(r => r.Value));
        Assert.All(result, r => Assert.Equal("small", r.Node));
        var gpuStarts = cluster.Trace().Count(t => t is { What: "start", Node: "small" } && t.Subject.StartsWith("leaf-", StringComparison.Ordinal));
        Assert.Equal(16, gpuStarts);
        var summary = await filling.GetSummaryAsync();
        Assert.Equal(17, summary.Counts[ActionStatus.Succeeded]);
        Assert.Null(summary.WaitingFor);
        var leaves = (await filling.GetActionsAsync(new ActionQuery(Limit: 100))).Actions.Where(a => a.ParentId is not null).ToList();
        Assert.Equal(16, leaves.Count);
        // Whether the full worker turns any attempt away here depends on timing: a run sends an executor no more than
        // the room its last report showed, so with a fresh report nothing is turned away at all (the suite saw 0 once in
        // many runs). Turning away and what the run then does are specified deterministically by
        // ActionExecutorSpecs.A_full_queue_hands_new_attempts_straight_back_flagged_full_... and
        // RunPlacementSpecs.An_executor_that_turns_attempts_away_gets_none_until_it_reports_room_...; here the count is shown.
        var turnedAway = leaves.Sum(a => a.Attempts - 1);
        output.WriteLine($"attempts turned away by the full worker: {turnedAway} over {leaves.Count(a => a.Attempts > 1)} leaves");
    }
}
