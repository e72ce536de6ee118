using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cli;

/// <summary>The cluster verbs that read <c>GET /cluster</c>, against the embedded runtime's one-node cluster.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class CliClusterSpecs(RuntimeFixture fixture)
{
    private readonly Uri _node = fixture.Runtime.BaseUrl!;

    private Task<CliResult> Fanout(params string[] args) => CliInvocation.RunAsync(_node, args);

    [Fact]
    public async Task Cluster_show_prints_pbm_member_lines_then_the_count()
    {
        var show = await Fanout("cluster", "show");
        var json = await Fanout("cluster", "show", "--json");

        Assert.Equal(0, show.ExitCode);
        using var cluster = JsonDocument.Parse(json.Out);
        var self = cluster.RootElement.GetProperty("self").GetString()!;
        var line = show.OutLines[0];
        Assert.Matches(@"^akka\.tcp://[^ ]+ \| \[[^\]]*\] \| up \| reachable \| [^ ]+$", line);
        Assert.StartsWith($"{self} | [", line);
        Assert.Equal("Count: 1 nodes", show.OutLines[^1]);
        Assert.Equal(2, show.OutLines.Length);
    }

    [Fact]
    public async Task Cluster_status_and_leader_describe_the_node_and_its_leader()
    {
        var status = await Fanout("cluster", "status");
        var leader = await Fanout("cluster", "leader");
        var json = await Fanout("cluster", "leader", "--json");

        using var cluster = JsonDocument.Parse(json.Out);
        var self = cluster.RootElement.GetProperty("self").GetString()!;
        Assert.Equal(0, status.ExitCode);
        Assert.Equal($"Node: {self}", status.OutLines[0]);
        Assert.Equal("Status: up", status.OutLines[2]);
        Assert.Equal($"Leader: {self}", status.OutLines[3]);
        Assert.Equal("Members: 1 (1 up, 0 unreachable)", status.OutLines[4]);
        Assert.Equal("Executors: 1", status.OutLines[5]);
        Assert.Equal(0, leader.ExitCode);
        Assert.Equal(self, Assert.Single(leader.OutLines));
    }
}
