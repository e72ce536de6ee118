using System.Net;
using System.Text.Json;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// The operator endpoints (the <c>fanout</c> tool's cluster, sharding, actor and executor verbs) against real
/// worker processes on loopback, while a run's leaves hold slots on both workers: each answers with what the
/// cluster holds, and bad input is refused with an error naming it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OperatorEndpointSpecs(ITestOutputHelper output)
{
    private const string RunType = "fanout-run";
    private const int Leaves = 6;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_operator_endpoint_answers_from_a_real_node_and_bad_input_is_refused_by_name()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);
        var (one, two) = (cluster.Worker("worker-1"), cluster.Worker("worker-2"));
        // Leaves that outlast the spec: they hold slots (and their run an entity) while it looks.
        var run = await client.RunAsync(ClusterTasks.FanOut, new Fan(Leaves, DelayMs: 120_000));

        await ExecutorsShowTheRunsLeavesAsync(one, run.Id);
        await ShardingShowsTheRunsEntityAsync(cluster, run.Id);
        await MembersCarryTheirAppVersionAsync(one);
        await EventsStreamTheMembersAndStopWhenTheClientGoesAsync(one);
        await ActorHierarchyShowsTheNodesActorsAsync(two);
        await BadInputIsRefusedByNameAsync(one);

        // With nothing unreachable, down-unreachable downs nobody.
        var (status, downed) = await OperatorHttp.PostAsync(one, "cluster/down-unreachable");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(0, downed.GetProperty("downed").GetArrayLength());
    }

    /// <summary>GET /executors: both workers' executors, each asked, their busy slots adding up to the leaves running, by run.</summary>
    private async Task ExecutorsShowTheRunsLeavesAsync(ClusterNode node, string runId)
    {
        var executors = await Eventually.Value(async () => (await OperatorHttp.GetAsync(node, "executors")).Body.GetProperty("executors"),
            e => e.EnumerateArray().Sum(x => x.TryGetProperty("busy", out var busy) ? busy.GetInt32() : 0) == Leaves, Within,
            $"the executors to hold the {Leaves} leaves in their slots");
        Assert.Equal(2, executors.GetArrayLength());
        foreach (var executor in executors.EnumerateArray())
        {
            Assert.False(executor.TryGetProperty("error", out _), executor.ToString());
            Assert.StartsWith("akka.tcp://fanout@127.0.0.1:", executor.GetProperty("node").GetString());
            Assert.Contains("fanout-worker", executor.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.True(executor.GetProperty("slots").GetInt32() >= Leaves, executor.ToString());
            Assert.True(executor.GetProperty("maxWaiting").GetInt32() > 0, executor.ToString());
            Assert.Equal(0, executor.GetProperty("waiting").GetInt32());
            // This run's leaves are all an executor runs (the parent waits, holding no slot): its busy count is the run's.
            var busy = executor.GetProperty("busy").GetInt32();
            var runs = executor.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(busy, runs.Where(r => r.GetProperty("runId").GetString() == runId).Sum(r => r.GetProperty("busy").GetInt32()));
            Assert.Equal(busy, runs.Sum(r => r.GetProperty("busy").GetInt32()));
        }
        output.WriteLine($"GET /executors: {executors}");
    }

    /// <summary>
    /// GET /sharding/shard-stats on each worker: one of them hosts the run's entity; GET /sharding/region-stats
    /// (cluster-wide) and GET /sharding/regions (this node) count it in the same shard.
    /// </summary>
    private async Task ShardingShowsTheRunsEntityAsync(LoopbackCluster cluster, string runId)
    {
        string? host = null, shardId = null;
        foreach (var worker in cluster.Workers)
        {
            var (status, stats) = await OperatorHttp.GetAsync(worker, $"sharding/shard-stats?type={RunType}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(RunType, stats.GetProperty("typeName").GetString());
            Assert.Equal(worker.Address, stats.GetProperty("address").GetString());
            foreach (var shard in stats.GetProperty("shards").EnumerateArray())
            {
                var ids = shard.GetProperty("entityIds").EnumerateArray().Select(e => e.GetString()).ToList();
                Assert.Equal(shard.GetProperty("entities").GetInt32(), ids.Count); // few runs: every id is listed
                if (!ids.Contains(runId)) continue;
                (host, shardId) = (worker.Address, shard.GetProperty("shardId").GetString());
            }
        }
        Assert.True(host is not null, $"no worker's shard-stats lists run {runId}");

        var (_, regionStats) = await OperatorHttp.GetAsync(cluster.Workers[0], $"sharding/region-stats?type={RunType}");
        var regions = regionStats.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(cluster.Workers.Select(w => w.Address).Order(), regions.Select(r => r.GetProperty("address").GetString()).Order());
        var hostRegion = regions.Single(r => r.GetProperty("address").GetString() == host);
        var runShard = hostRegion.GetProperty("shards").EnumerateArray().Single(s => s.GetProperty("shardId").GetString() == shardId);
        Assert.True(runShard.GetProperty("entities").GetInt32() >= 1);

        var hostNode = cluster.Workers.Single(w => w.Address == host);
        var (_, local) = await OperatorHttp.GetAsync(hostNode, "sharding/regions");
        var region = local.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("typeName").GetString() == RunType);
        Assert.True(region.GetProperty("shards").GetInt32() >= 1 && region.GetProperty("entities").GetInt32() >= 1, region.ToString());
        output.WriteLine($"run {runId} lives in shard {shardId} on {host}; GET /sharding/regions there: {local}");
    }

    /// <summary>GET /cluster: every member (lighthouse, workers, this client) with its app version.</summary>
    private static async Task MembersCarryTheirAppVersionAsync(ClusterNode node)
    {
        var (_, view) = await OperatorHttp.GetAsync(node, "cluster");
        var members = view.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(4, members.Count);
        Assert.All(members, m => Assert.False(string.IsNullOrEmpty(m.GetProperty("appVersion").GetString()), m.ToString()));
    }

    /// <summary>
    /// GET /cluster/events: a CurrentMember line per member first; the subscription behind it (an actor under
    /// /user) goes away when the client disconnects.
    /// </summary>
    private async Task EventsStreamTheMembersAndStopWhenTheClientGoesAsync(ClusterNode node)
    {
        var before = await UserActorsAsync(node);
        using (var tail = await OperatorHttp.TailEventsAsync(node))
        {
            Assert.Equal("application/x-ndjson", tail.ContentType);
            await Eventually.True(() => tail.Lines.Count >= 4, Within, "a CurrentMember line for each of the 4 members");
            Assert.All(tail.Lines.Take(4), line =>
            {
                Assert.Equal("CurrentMember", line.GetProperty("event").GetString());
                Assert.Equal("Up", line.GetProperty("status").GetString());
                Assert.True(line.GetProperty("reachable").GetBoolean());
                Assert.True(line.TryGetProperty("at", out _));
            });
            Assert.Contains(tail.Lines, l => l.GetProperty("address").GetString() == node.Address);
            Assert.Equal(before.Count + 1, (await UserActorsAsync(node)).Count);
        }
        await Eventually.Value(() => UserActorsAsync(node), now => now.Count == before.Count, Within,
            "the event stream's subscriber to stop once its client disconnected");
        output.WriteLine($"/user on {node.Name} after the stream closed: {string.Join(", ", before)}");
    }

    private static async Task<List<string>> UserActorsAsync(ClusterNode node)
    {
        var (_, tree) = await OperatorHttp.GetAsync(node, "actors?depth=1");
        var user = tree.GetProperty("root").GetProperty("children").EnumerateArray().Single(c => c.GetProperty("path").GetString() == "/user");
        Assert.False(user.TryGetProperty("children", out _), "depth 1 stops at /user");
        var (_, deeper) = await OperatorHttp.GetAsync(node, "actors?depth=2");
        return deeper.GetProperty("root").GetProperty("children").EnumerateArray()
            .Single(c => c.GetProperty("path").GetString() == "/user")
            .GetProperty("children").EnumerateArray().Select(c => c.GetProperty("path").GetString()!).ToList();
    }

    /// <summary>GET /actors: the root's /user and /system, Fanout's actors under /user, sharding's under /system, to the depth asked.</summary>
    private async Task ActorHierarchyShowsTheNodesActorsAsync(ClusterNode node)
    {
        var (status, tree) = await OperatorHttp.GetAsync(node, "actors");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(node.Address, tree.GetProperty("address").GetString());
        Assert.Equal(3, tree.GetProperty("depth").GetInt32());
        var root = tree.GetProperty("root");
        Assert.Equal("/", root.GetProperty("path").GetString());
        var top = Children(root);
        Assert.Equal(["/system", "/user"], top.Keys.Order());
        Assert.Contains("/user/fanout-executor", Children(top["/user"]).Keys);
        Assert.Contains("/user/fanout-executors", Children(top["/user"]).Keys);
        var sharding = Children(Children(top["/system"])["/system/sharding"]);
        Assert.Contains($"/system/sharding/{RunType}", sharding.Keys);
        // Depth 3 ends at /system/sharding/fanout-run: its shards are counted, not listed.
        Assert.False(sharding[$"/system/sharding/{RunType}"].TryGetProperty("children", out _));
        Assert.True(sharding[$"/system/sharding/{RunType}"].GetProperty("childCount").GetInt32() >= 1);
        output.WriteLine($"GET /actors?depth=3 on {node.Name}: {tree.ToString().Length} characters");
    }

    private static Dictionary<string, JsonElement> Children(JsonElement node) =>
        node.GetProperty("children").EnumerateArray().ToDictionary(c => c.GetProperty("path").GetString()!);

    private static async Task BadInputIsRefusedByNameAsync(ClusterNode node)
    {
        await Refused(OperatorHttp.MembershipAsync(node, "leave", "not-an-address"), HttpStatusCode.BadRequest, "'not-an-address'");
        await Refused(OperatorHttp.MembershipAsync(node, "down", "akka.tcp://other@127.0.0.1:4053"), HttpStatusCode.BadRequest, "'other'");
        await Refused(OperatorHttp.MembershipAsync(node, "join", "http://127.0.0.1:4053"), HttpStatusCode.BadRequest, "'http://127.0.0.1:4053'");
        await Refused(OperatorHttp.PostAsync(node, "cluster/leave", "{\"address\": 4053}"), HttpStatusCode.BadRequest, "\"address\" must be a string");
        await Refused(OperatorHttp.PostAsync(node, "cluster/leave", "not json"), HttpStatusCode.BadRequest, "the body must be JSON");
        await Refused(OperatorHttp.PostAsync(node, "cluster/down", "{}"), HttpStatusCode.BadRequest, "\"address\" is required");
        // Well formed, but nobody is there: not a member.
        await Refused(OperatorHttp.MembershipAsync(node, "leave", "akka.tcp://fanout@127.0.0.1:1"), HttpStatusCode.NotFound,
            "'akka.tcp://fanout@127.0.0.1:1' is not a member");
        await Refused(OperatorHttp.MembershipAsync(node, "down", "akka.tcp://fanout@127.0.0.1:1"), HttpStatusCode.NotFound, "is not a member");

        await Refused(OperatorHttp.GetAsync(node, "sharding/region-stats?type=no-such"), HttpStatusCode.NotFound, "'no-such'");
        await Refused(OperatorHttp.GetAsync(node, "sharding/shard-stats?type=no-such"), HttpStatusCode.NotFound, $"(it has: {RunType})");
        await Refused(OperatorHttp.GetAsync(node, "sharding/shard-stats"), HttpStatusCode.BadRequest, "\"type\" is required");
        foreach (var depth in new[] { "0", "11", "deep", "-1" })
            await Refused(OperatorHttp.GetAsync(node, "actors?depth=" + depth), HttpStatusCode.BadRequest, $"depth '{depth}'");
    }

    private static async Task Refused(Task<(HttpStatusCode Status, JsonElement Body)> call, HttpStatusCode expected, string named)
    {
        var (status, body) = await call;
        Assert.Equal(expected, status);
        Assert.Contains(named, body.GetProperty("error").GetString());
    }
}
