using System.Text.Json;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cli;

/// <summary>
/// The cluster, sharding, actor and executor verbs against a lighthouse and two worker processes on loopback,
/// while a run's leaves are going: pbm's output shapes, filled with what the cluster holds; then
/// <c>cluster leave</c> of a worker, seen by <c>cluster tail</c>, while <c>runs watch</c> follows the run to success.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CliClusterVerbsSpecs(ITestOutputHelper output)
{
    private const string RunType = "fanout-run";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_cluster_verb_reads_a_real_cluster_and_a_left_worker_shows_in_the_tail_while_the_run_succeeds()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        var (one, two) = (cluster.Worker("worker-1"), cluster.Worker("worker-2"));
        Task<CliResult> Fanout(params string[] args) => CliInvocation.RunAsync(one.HttpApi!, args);

        // Six leaves of 4 s each: long enough to look at them, short enough to finish after worker-2 leaves.
        var started = await Fanout("run", ClusterTasks.FanOut.Name, "--input", JsonSerializer.Serialize(new Fan(6, 4_000)), "--json");
        Assert.True(started.ExitCode == 0, started.ToString());
        var runId = JsonDocument.Parse(started.Out).RootElement.GetProperty("runId").GetString()!;

        await ShowStatusAndLeaderAsync(Fanout, cluster, one, two);
        await ShardingShowsTheRunAsync(cluster, runId);
        await ActorsAndExecutorsAsync(Fanout);

        // A tail from the start: the three members, then worker-2 leaving while the watch follows the run.
        var tailed = new LiveWriter();
        using var stopTail = new CancellationTokenSource();
        var tail = CliInvocation.RunAsync(["--node", one.HttpApi!.ToString(), "cluster", "tail"], new Dictionary<string, string>(), tailed, stopTail.Token);
        await tailed.WaitForAsync($"CurrentMember {two.Address} up reachable", Within, "the tail to list worker-2");
        var watch = Fanout("runs", "watch", runId);

        var leave = await Fanout("cluster", "leave", two.Address);
        Assert.Equal($"leave requested for {two.Address}", Assert.Single(leave.OutLines));
        await tailed.WaitForAsync($"MemberRemoved {two.Address}", Within, "the tail to see worker-2 removed");
        Assert.Equal(0, await two.Process.WaitForExitAsync(Within));
        var watched = await watch.Within(Within, "the watch of the run to end after worker-2 left");
        stopTail.Cancel();
        var tailResult = await tail.Within(Within, "the tail to stop when cancelled");

        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Matches(@$"^run {runId} succeeded after .+: 7 actions \(succeeded 7\)$", watched.OutLines[^1]);
        Assert.Equal(0, tailResult.ExitCode);
        var events = tailResult.OutLines;
        Assert.Equal(3, events.Count(l => l.Contains(" CurrentMember ")));
        Assert.All(events, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \w+ ", l));
        var leftAt = Array.FindIndex(events, l => l.Contains($"MemberLeft {two.Address}") || l.Contains($"MemberExited {two.Address}"));
        Assert.True(leftAt >= 0 && leftAt < Array.FindIndex(events, l => l.Contains($"MemberRemoved {two.Address}")), string.Join('\n', events));
        output.WriteLine(string.Join('\n', events));

        var after = await Fanout("cluster", "show");
        Assert.Equal("Count: 2 nodes", after.OutLines[^1]);
        var notAMember = await Fanout("cluster", "down", two.Address);
        Assert.Equal(1, notAMember.ExitCode);
        Assert.Contains("is not a member", Assert.Single(notAMember.ErrLines));
        var downed = await Fanout("cluster", "down-unreachable");
        Assert.Equal("downed 0 unreachable member(s)", Assert.Single(downed.OutLines));
        var join = await Fanout("cluster", "join", cluster.Seed);
        Assert.Equal($"join requested for {cluster.Seed}", Assert.Single(join.OutLines));
    }

    private async Task ShowStatusAndLeaderAsync(Func<string[], Task<CliResult>> fanout, LoopbackCluster cluster, ClusterNode one, ClusterNode two)
    {
        var show = await fanout(["cluster", "show"]);
        var status = await fanout(["cluster", "status"]);
        var leader = await fanout(["cluster", "leader"]);
        var json = await fanout(["cluster", "show", "--json"]);
        output.WriteLine(show.Out);

        Assert.Equal(0, show.ExitCode);
        Assert.Equal("Count: 3 nodes", show.OutLines[^1]);
        var members = show.OutLines[..^1];
        Assert.Equal(3, members.Length);
        Assert.All(members, l => Assert.Matches(@"^akka\.tcp://fanout@127\.0\.0\.1:\d+ \| \[[^\]]+\] \| up \| reachable \| \d[\w.+-]*$", l));
        Assert.Contains(members, l => l.StartsWith($"{cluster.Seed} | [", StringComparison.Ordinal));
        Assert.Contains(members, l => l.StartsWith($"{one.Address} | [", StringComparison.Ordinal) && l.Contains("fanout-worker"));
        Assert.Contains(members, l => l.StartsWith($"{two.Address} | [", StringComparison.Ordinal));
        using var view = JsonDocument.Parse(json.Out);
        Assert.Equal(3, view.RootElement.GetProperty("members").GetArrayLength());
        Assert.Equal($"Node: {one.Address}", status.OutLines[0]);
        Assert.Equal("Members: 3 (3 up, 0 unreachable)", status.OutLines[4]);
        Assert.Equal("Executors: 2", status.OutLines[5]);
        Assert.Equal(view.RootElement.GetProperty("leader").GetString(), Assert.Single(leader.OutLines));
    }

    /// <summary>One worker hosts the run's entity: its shard-stats list the run id, and region-stats count it cluster-wide.</summary>
    private async Task ShardingShowsTheRunAsync(LoopbackCluster cluster, string runId)
    {
        CliResult? hosting = null;
        foreach (var worker in cluster.Workers)
        {
            var regions = await CliInvocation.RunAsync(worker.HttpApi!, "cluster-sharding", "regions");
            Assert.Contains(regions.OutLines, l => l.StartsWith($"{RunType} | shards: ", StringComparison.Ordinal));
            Assert.Matches(@"^Count: \d+ regions$", regions.OutLines[^1]);
            var stats = await CliInvocation.RunAsync(worker.HttpApi!, "cluster-sharding", "shard-stats", "-r", RunType);
            Assert.True(stats.ExitCode == 0, stats.ToString());
            Assert.Equal($"{RunType} on {worker.Address}", stats.OutLines[0]);
            if (stats.Out.Contains(runId)) hosting = stats;
        }
        Assert.NotNull(hosting);
        Assert.Contains(hosting.OutLines, l => l.StartsWith("  shard ") && l.Contains(runId));

        var regionStats = await CliInvocation.RunAsync(cluster.Workers[0].HttpApi!, "cluster-sharding", "region-stats", "-r", RunType);
        Assert.True(regionStats.ExitCode == 0, regionStats.ToString());
        Assert.Matches(@"^Total: \d+ shards, [1-9]\d* entities on 2 nodes$", regionStats.OutLines[^1]);
        var unknown = await CliInvocation.RunAsync(cluster.Workers[0].HttpApi!, "cluster-sharding", "region-stats", "-r", "no-such-type");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no sharded entity type 'no-such-type'", Assert.Single(unknown.ErrLines));
        output.WriteLine(hosting.Out + regionStats.Out);
    }

    private async Task ActorsAndExecutorsAsync(Func<string[], Task<CliResult>> fanout)
    {
        var actors = await fanout(["actor", "hierarchy", "-d", "2"]);
        Assert.True(actors.ExitCode == 0, actors.ToString());
        Assert.Contains("/user", actors.OutLines);
        Assert.Contains("/system", actors.OutLines);
        Assert.All(actors.OutLines, l => Assert.StartsWith("/", l));
        Assert.DoesNotContain(actors.OutLines, l => l.Count(c => c == '/') > 2 && !l.Contains("/... ("));

        var executors = await fanout(["executors"]);
        Assert.True(executors.ExitCode == 0, executors.ToString());
        Assert.Matches(@"^NODE\s+ROLES\s+SLOTS\s+BUSY\s+WAITING\s+MAX WAITING\s+RUNS$", executors.OutLines[0]);
        Assert.Equal(2, executors.OutLines.Count(l => l.StartsWith("akka.tcp://fanout@127.0.0.1:", StringComparison.Ordinal)));
        Assert.Equal("Count: 2 executors", executors.OutLines[^1]);
        output.WriteLine(actors.Out + executors.Out);
    }
}
