using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// Payloads between processes: a 900 KB result of quotes, accented text and emoji (over 2 MB as the default
/// JSON escaping writes it) crosses from worker to parent and from worker to the app whole under the default
/// 1 MiB limit, and a result that cannot travel fails its own action, naming it, while the run goes on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LargePayloadClusterSpecs(ITestOutputHelper output)
{
    private const int NineHundredKb = 900 * 1024;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_900_KB_result_of_quotes_and_non_ASCII_text_crosses_nodes_whole()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);
        var expected = PayloadTasks.TextOf(NineHundredKb);

        // From the worker that ran it, through its run, to this process.
        var single = await client.RunAsync(PayloadTasks.Produce, NineHundredKb);
        var sample = await single.WaitAsync(Within, "the 900 KB result to reach the client");
        Assert.True(sample.Text == expected, $"the text came back changed ({sample.Text.Length:N0} chars, {expected.Length:N0} sent)");
        Assert.StartsWith("worker-", sample.Node);

        // From leaves on both workers to their parent, which checks each against what was sent.
        var relay = await client.RunAsync(PayloadTasks.Relay, (6, NineHundredKb));
        var relayed = await relay.WaitAsync(Within, "the relay of 900 KB leaves across nodes to end");
        Assert.Equal(6, relayed.Leaves.Length);
        Assert.All(relayed.Leaves, leaf => Assert.True(leaf.Intact, $"leaf {leaf.Position} from {leaf.Node} arrived changed ({leaf.Utf8Bytes:N0} bytes)"));
        Assert.Contains(relayed.Leaves, leaf => leaf.Node != relayed.ParentNode);
        output.WriteLine($"parent on {relayed.ParentNode}; leaves on {string.Join(", ", relayed.Leaves.Select(l => l.Node))}");
    }

    [Fact]
    public async Task A_result_that_cannot_travel_fails_its_action_naming_it_and_the_run_goes_on()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);

        var run = await client.RunAsync(PayloadTasks.Mixed, [1000, NineHundredKb, 1_100_000, 1000]);
        var ended = await run.WaitAsync(Within, "the gather with one result too large to end");

        Assert.Equal(4, ended.Length);
        Assert.True(ended[0].Succeeded && ended[1].Succeeded && ended[3].Succeeded, $"siblings failed: {string.Join("; ", ended.Select(e => e.ToString()))}");
        Assert.InRange(ended[1].Utf8Bytes, 800 * 1024, NineHundredKb);
        Assert.False(ended[2].Succeeded);
        Assert.Equal("Fanout.PayloadTooLargeException", ended[2].RemoteType);
        Assert.Matches(@"^The output of task 'payload\.text' is 1,1\d\d,\d\d\d bytes as JSON, over the limit of 1,048,576 bytes", ended[2].Message);

        var summary = await run.GetSummaryAsync();
        Assert.Equal(RunStatus.Succeeded, summary.Status);
        Assert.Equal(1, summary.Counts[ActionStatus.Failed]);
        Assert.Equal(4, summary.Counts[ActionStatus.Succeeded]); // the parent and three siblings
        var failed = (await run.GetActionsAsync(new ActionQuery(ActionStatus.Failed))).Actions.Single();
        Assert.Equal($"{run.Id}/payload.text#2", failed.ActionId);
        Assert.Equal(1, failed.Attempts);
    }
}
