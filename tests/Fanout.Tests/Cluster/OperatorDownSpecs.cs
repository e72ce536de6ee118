using System.Net;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// An operator's down through a node's HTTP API (<c>fanout cluster down</c>) of a worker killed mid-run, next to
/// the failure detector and split-brain resolver alone. Two clusters one after the other (about a minute), so
/// it carries the "Measurement" trait: the suite runs it; a quick pass can leave it out with
/// <c>--filter "Kind!=Measurement"</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Kind", "Measurement")]
public sealed class OperatorDownSpecs(ITestOutputHelper output)
{
    /// <summary>
    /// The comparison, measured (printed, not asserted): from a kill -9 of a worker to its in-flight actions
    /// running again on the other, first with the failure detector and the split-brain resolver alone, then with
    /// <c>POST /cluster/down</c> issued right after the kill.
    /// </summary>
    [Fact]
    public async Task Down_of_a_killed_worker_moves_its_work_and_the_run_completes_with_and_without_it()
    {
        var alone = await KillMidRunAsync(downRightAfter: false);
        var downed = await KillMidRunAsync(downRightAfter: true);

        output.WriteLine($"kill -9 -> work running again elsewhere: failure detector alone {alone:F1} s, with POST /cluster/down {downed:F1} s");
        Console.WriteLine($"[cluster] kill -9 of a worker -> its in-flight actions running again: failure detector alone {alone:F1} s; " +
                          $"POST /cluster/down right after the kill {downed:F1} s");
    }

    /// <summary>Kills the worker not running the parent, mid-run, and returns the seconds until its first leaf started again.</summary>
    private async Task<double> KillMidRunAsync(bool downRightAfter)
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await ClusterChecks.StartTwoWorkersAsync(db, output);
        await using var client = await ClusterChecks.ConnectAsync(cluster);
        var run = await HalfSlowRun.StartAsync(client, cluster);
        var survivor = cluster.Worker(HalfSlowRun.ParentNode(cluster));
        var victim = cluster.Workers.Single(w => w != survivor);
        var inFlight = HalfSlowRun.InFlightOn(cluster, victim.Name);
        Assert.NotEmpty(inFlight);

        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        victim.Process.KillHard();
        if (downRightAfter)
        {
            var (status, body) = await OperatorHttp.MembershipAsync(survivor, "down", victim.Address);
            Assert.Equal(HttpStatusCode.Accepted, status);
            Assert.Equal("down", body.GetProperty("action").GetString());
        }
        else
        {
            // Until the cluster removes it, the dead worker's executor is still in the survivor's directory: it answers
            // GET /executors with an error in its place, beside the survivor's own load.
            var executors = await Eventually.Value(async () => (await OperatorHttp.GetAsync(survivor, "executors")).Body.GetProperty("executors"),
                e => e.EnumerateArray().Any(x => x.GetProperty("node").GetString() == victim.Address && x.TryGetProperty("error", out _)),
                HalfSlowRun.Within, $"GET /executors on {survivor.Name} to show {victim.Name}'s executor not answering");
            var own = executors.EnumerateArray().Single(x => x.GetProperty("node").GetString() == survivor.Address);
            Assert.False(own.TryGetProperty("error", out _), own.ToString());
            Assert.True(own.GetProperty("slots").GetInt32() > 0);
            output.WriteLine($"GET /executors after the kill: {executors}");
        }

        await HalfSlowRun.AssertCompletesIntactAsync(run);
        var trace = cluster.Trace();
        var restarts = inFlight
            .Select(leaf => trace.FirstOrDefault(t => t.What == "start" && t.Subject == leaf && t.Node == survivor.Name && t.AtMs > killedAt))
            .ToList();
        Assert.All(restarts, Assert.NotNull);
        return (restarts.Min(r => r!.AtMs) - killedAt) / 1000.0;
    }
}
