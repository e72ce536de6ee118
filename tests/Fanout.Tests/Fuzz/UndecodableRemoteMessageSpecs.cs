using System.Text;
using Fanout.ClusterApp;
using Fanout.Protocol;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Protocol;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Fuzz;

/// <summary>
/// Undecodable messages delivered through remoting to a real two-worker cluster (processes on loopback,
/// PostgreSQL): for every manifest Fanout knows, random bytes, truncated messages and a snapshot announcing
/// two billion actions, sent to each worker's run region, executor and directory by an actor system outside the
/// cluster. The workers log and drop them, stay up, answer a real query over the same connection, and run a
/// fan-out over both of them afterwards.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class UndecodableRemoteMessageSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Workers_drop_undecodable_messages_stay_up_and_still_run_a_fan_out()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await ClusterChecks.StartTwoWorkersAsync(db, output);
        await using var rogue = GarbageSender.Start();
        var garbage = GarbageFor(new FanoutSerializer((Akka.Actor.ExtendedActorSystem)rogue.System), seed: 11);

        foreach (var worker in cluster.Workers)
            foreach (var target in GarbageSender.Targets(worker.Address))
                foreach (var message in garbage)
                    rogue.Send(target, message);
        output.WriteLine($"sent {garbage.Count} undecodable messages to each of {GarbageSender.Targets("x").Count} actors on each of 2 workers");

        foreach (var worker in cluster.Workers)
        {
            // The same connection still carries what it can read: a real query, answered across the cluster.
            var reply = await rogue.AskAsync<RunSummaryReply>(GarbageSender.Targets(worker.Address)[0], new GetRunSummary("no-such-run"), Within);
            Assert.Null(reply.Summary);
            var sent = garbage.Count * GarbageSender.Targets(worker.Address).Count;
            var logged = await Eventually.Value(() => Task.FromResult(DeserializationLines(worker)), lines => lines.Count >= sent, Within,
                $"{worker.Name} to log each of the {sent} messages it could not read");
            output.WriteLine($"{worker.Name} logged {logged.Count} line(s) about them; the first: {logged[0]}");
            Assert.False(worker.Process.HasExited, $"{worker.Name} exited");
        }

        await using var client = await ClusterChecks.ConnectAsync(cluster);
        var run = await client.RunAsync(ClusterTasks.FanOut, new Fan(20, 5));
        var result = await run.WaitAsync(Within, "a fan-out after the undecodable messages to end");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), result.Select(r => r.Value));
        Assert.Equal(["worker-1", "worker-2"], result.Select(r => r.Node).Distinct().Order());
    }

    private static List<string> DeserializationLines(ClusterNode worker) =>
        worker.Process.Output.Split('\n')
            .Where(line => line.Contains("Fanout cannot read", StringComparison.Ordinal)
                           || line.Contains("deserializ", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>For every manifest: random bytes, the real message cut in half, and for snapshots a count of 2^31 - 1.</summary>
    private static List<Garbage> GarbageFor(FanoutSerializer serializer, int seed)
    {
        var random = new Random(seed);
        var garbage = new List<Garbage>();
        foreach (var message in SerializerSpecs.Messages().Select(m => m[0]))
        {
            var manifest = serializer.Manifest(message);
            var bytes = serializer.ToBinary(message);
            var noise = new byte[random.Next(1, 300)];
            random.NextBytes(noise);
            garbage.Add(new Garbage(manifest, noise));
            garbage.Add(new Garbage(manifest, bytes[..(bytes.Length / 2)]));
        }
        garbage.Add(new Garbage("S", CorruptSnapshots.AnnouncingActions(int.MaxValue)));
        garbage.Add(new Garbage("no-such-manifest", Encoding.UTF8.GetBytes("{}")));
        return garbage;
    }
}
