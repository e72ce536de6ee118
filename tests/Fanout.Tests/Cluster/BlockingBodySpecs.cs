using System.Diagnostics;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// Users write blocking code: bodies that block their thread for seconds or spin a core must slow their
/// node down, never get it taken for dead. A node's cluster heartbeats and remoting run on threads bodies
/// cannot take (README: "Failure detection").
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class BlockingBodySpecs(ITestOutputHelper output)
{
    private const int BlockersPerWorker = 100;
    private const int SpinnersPerWorker = 2;
    private const int HogMs = 10_000;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Bodies_that_block_their_threads_or_spin_cores_get_no_member_marked_unreachable_and_their_run_completes()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output);
        // Room for every body at once, so all of them hog their node together.
        var slots = new Dictionary<string, string> { ["FANOUT_ACTION_SLOTS"] = $"{BlockersPerWorker + SpinnersPerWorker + 10}" };
        await Task.WhenAll(cluster.StartWorkerAsync("worker-1", slots), cluster.StartWorkerAsync("worker-2", slots));
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);
        using var events = new MembershipEvents(client.ActorSystem);

        var clock = Stopwatch.StartNew();
        var crowd = new Crowd(BlockersPerWorker * 2, SpinnersPerWorker * 2, HogMs);
        var run = await client.RunAsync(HoggingTasks.Crowd, crowd);
        var ended = await run.WaitAsync(Within, "the run of blocking and spinning bodies to end");
        var took = clock.Elapsed;

        var trace = cluster.Trace();
        foreach (var worker in cluster.Workers)
            output.WriteLine($"{worker.Name}: {trace.Count(t => t.What == "start" && t.Node == worker.Name && t.Subject.StartsWith("block-", StringComparison.Ordinal))} blockers, " +
                             $"at most {MostAtOnce(trace, worker.Name)} blocked at once");
        output.WriteLine($"run of {crowd.Blockers} blockers and {crowd.Spinners} spinners of {HogMs / 1000} s each took {took.TotalSeconds:F1} s");
        output.WriteLine($"longest heartbeat delay a worker logged: {LongestHeartbeatDelayMs(cluster)} ms (expected every 1000 ms)");
        foreach (var loss in events.Losses) output.WriteLine($"membership: {loss}");

        Assert.Empty(events.Losses);
        Assert.Equal(crowd.Blockers + crowd.Spinners, ended);
        Assert.All(cluster.Workers, w => Assert.False(w.Process.HasExited, $"{w.Name} exited:\n{w.Process.Output}"));
        Assert.All(cluster.Workers, w => Assert.DoesNotContain("as UNREACHABLE", w.Process.Output, StringComparison.Ordinal));
    }

    /// <summary>The longest gap between two heartbeats a worker's Akka logged ("Previous heartbeat was sent [x] ms ago"), or 0.</summary>
    private static double LongestHeartbeatDelayMs(LoopbackCluster cluster) =>
        cluster.Workers.SelectMany(w => HeartbeatDelay().Matches(w.Process.Output))
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Max();

    [System.Text.RegularExpressions.GeneratedRegex(@"Previous heartbeat was sent \[([0-9.]+)\] ms ago")]
    private static partial System.Text.RegularExpressions.Regex HeartbeatDelay();

    /// <summary>The most blockers running on the node at one moment, from the trace's starts and ends.</summary>
    private static int MostAtOnce(IReadOnlyList<TraceLine> trace, string node)
    {
        int now = 0, most = 0;
        foreach (var line in trace.Where(t => t.Node == node && t.Subject.StartsWith("block-", StringComparison.Ordinal)))
        {
            now += line.What == "start" ? 1 : -1;
            most = Math.Max(most, now);
        }
        return most;
    }
}
