using Akka.Actor;
using Akka.Cluster.Sharding;
using Fanout.Benchmarks.Measurement;
using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// The engine's own limit, the baseline Fanout is compared with: N request/response round trips,
/// each to a distinct, new sharded entity, on the actor system of a fresh Fanout runtime (so with
/// exactly its configuration) but in a region of its own with no persistence and no remember-entities.
/// </summary>
internal sealed class RawShardingScenario : IScenario
{
    public const string ScenarioName = "raw-sharding";

    /// <summary>Requests allowed in flight at once; N Asks issued at once would measure the Ask timeouts, not sharding.</summary>
    public const int MaxInFlight = 1_000;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    public string Name => ScenarioName;

    public string Description =>
        $"Ask to N distinct new entities of a plain sharded echo region, at most {MaxInFlight:N0} in flight, on a Fanout runtime's actor system";

    public async Task<ScenarioResult> RunAsync(int n, TempFolder temp, CancellationToken cancellationToken)
    {
        await using var runtime = await BenchRuntime.StartAsync(JournalKind.Sqlite, temp.NewDatabasePath(Name, n), cancellationToken);
        var system = runtime.Fanout.ActorSystem;
        var region = await ClusterSharding.Get(system).StartAsync(
            EchoEntity.RegionName,
            Props.Create(() => new EchoEntity()),
            ClusterShardingSettings.Create(system).WithRememberEntities(false),
            new EchoEntity.Extractor());

        // Distinct id prefixes keep the timed run's entities new: none was created by the warm-up.
        await RoundTripsAsync(region, "warm-up", WarmUp.Actions, new LatencyRecorder(WarmUp.Actions), cancellationToken);
        var latency = new LatencyRecorder(n);
        var timing = await TimedSection.RunAsync(() => RoundTripsAsync(region, "timed", n, latency, cancellationToken));
        return ScenarioResult.From(Name, n, timing, latency, journal: null, reopenSeconds: null,
            $"at most {MaxInFlight:N0} requests in flight; latency: Ask to reply (time waiting for a slot not counted)");
    }

    private static async Task RoundTripsAsync(
        IActorRef region, string idPrefix, int n, LatencyRecorder latency, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(MaxInFlight);
        var replies = new Task[n];
        for (var i = 0; i < n; i++)
        {
            await slots.WaitAsync(cancellationToken);
            latency.Started(i);
            var reply = region.Ask<int>(new EchoRequest($"{idPrefix}-{i}", i), AskTimeout, cancellationToken);
            replies[i] = CompleteAsync(reply, i);
        }
        await Task.WhenAll(replies);

        async Task CompleteAsync(Task<int> reply, int sequence)
        {
            try
            {
                var answer = await reply;
                if (answer != sequence)
                    throw new InvalidOperationException($"entity {idPrefix}-{sequence} answered {answer}");
            }
            finally
            {
                latency.Ended(sequence);
                slots.Release();
            }
        }
    }
}
