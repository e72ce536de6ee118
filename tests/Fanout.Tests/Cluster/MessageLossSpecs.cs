using System.Globalization;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// Issue 9, section 1 (a): workers whose remoting loses messages. Each worker's Akka TCP transport drops
/// 5% of the actor messages it sends to any other node (<see cref="LossyTransport"/>): attempts, reports,
/// children's outcomes, leases, acknowledgements, gossip and heartbeats alike. Between the two workers
/// every message is lossy both ways; the lighthouse's and the client's own messages are not.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MessageLossSpecs(ITestOutputHelper output)
{
    private const double DropRate = 0.05;
    private static readonly DeliveryTree Nested = new(Branches: 20, LeavesPerBranch: 100, LeafMs: 5);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan AskWithin = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_nested_run_on_workers_that_lose_5_percent_of_their_messages_completes_with_each_outcome_recorded_once()
    {
        var leaves = Nested.Branches * Nested.LeavesPerBranch;
        var actions = 1 + Nested.Branches + leaves;
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output);
        var tallies = new[] { "worker-1", "worker-2" }.ToDictionary(name => name, name => Path.Combine(Path.GetDirectoryName(cluster.TraceFile)!, $"drops-{name}"));
        await Task.WhenAll(tallies.Select(w =>
            cluster.StartWorkerAsync(w.Key, new Dictionary<string, string> { ["FANOUT_AKKA_CONFIG"] = LossyTransport.Hocon(DropRate, w.Value) })));
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The answer to a start may be lost: the start is asked again under the same run id.
        var runId = $"lossy-{Guid.NewGuid():N}"[..24];
        var run = await LossyAsks.RetryAsync(() => client.RunAsync(DeliveryTasks.Root, Nested, new RunOptions { RunId = runId }), AskWithin,
            "the nested run to start");
        var result = await run.WaitAsync(Within, "the nested run on lossy workers to end");
        var seconds = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedAt) / 1000.0;

        // Every leaf's result, in tree order: nothing lost, nothing out of place.
        Assert.Equal(Enumerable.Range(0, leaves).Select(i => i * 2), result);
        // One outcome per action in the ledger, every one a success.
        var summary = await LossyAsks.RetryAsync(() => run.GetSummaryAsync(), AskWithin, "the run's summary");
        Assert.Equal(RunStatus.Succeeded, summary.Status);
        Assert.Equal(actions, summary.TotalActions);
        Assert.Equal(actions, summary.Counts.GetValueOrDefault(ActionStatus.Succeeded));
        var listed = await LossyAsks.AllActionsAsync(run, AskWithin);
        Assert.Equal(actions, listed.Count);
        Assert.Equal(actions, listed.Select(a => a.ActionId).Distinct().Count());
        Assert.All(listed, a => Assert.Equal(ActionStatus.Succeeded, a.Status));

        // Bodies: at least once each (a lost report or attempt may run one again; the outcome still counts once).
        var starts = cluster.Trace().Where(t => t.What == "start").GroupBy(t => t.Subject).ToDictionary(g => g.Key, g => g.Count());
        var expected = Enumerable.Range(0, leaves).Select(i => $"twig-{i}").Concat(Enumerable.Range(0, Nested.Branches).Select(b => $"branch-{b}")).Append("root");
        Assert.All(expected, subject => Assert.True(starts.ContainsKey(subject), $"{subject} never ran"));
        var again = starts.Where(s => s.Value > 1).ToList();

        // The loss was real: without it this spec would prove nothing.
        var (dropped, written) = await ReadTalliesAsync(tallies.Values);
        Assert.True(dropped > 0, $"the workers dropped nothing of the {written} messages they sent");
        var unreachable = cluster.Workers.Sum(w => w.Process.Output.Split('\n').Count(l => l.Contains("UNREACHABLE", StringComparison.Ordinal)));
        Assert.All(cluster.Workers, w => Assert.False(w.Process.HasExited, $"{w.Name} exited (downed?) under message loss"));

        var retried = listed.Count(a => a.Attempts > 1);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[cluster] {DropRate:P0} loss: {actions} actions in {seconds:F1} s; workers dropped {dropped} of {written} messages; " +
            $"bodies run more than once: {again.Count} ({again.Sum(a => a.Value - 1)} extra runs{(again.Count > 0 ? ": " + string.Join(", ", again.Take(8).Select(a => $"{a.Key} x{a.Value}")) : "")}); " +
            $"actions with more than one attempt recorded: {retried}; unreachability reports: {unreachable}");
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    /// <summary>The workers' tallies ("dropped written"), each written every second by its transport.</summary>
    private static async Task<(long Dropped, long Written)> ReadTalliesAsync(IEnumerable<string> paths)
    {
        long dropped = 0, written = 0;
        foreach (var path in paths)
        {
            await Eventually.True(() => File.Exists(path), TimeSpan.FromSeconds(10), $"the drop tally {path}");
            var parts = (await File.ReadAllTextAsync(path)).Split(' ', StringSplitOptions.TrimEntries);
            dropped += long.Parse(parts[0], CultureInfo.InvariantCulture);
            written += long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return (dropped, written);
    }
}
