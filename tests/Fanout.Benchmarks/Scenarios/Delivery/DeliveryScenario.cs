using System.Collections.Concurrent;
using Akka.Actor;
using Fanout.Benchmarks.Measurement;
using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Issue 9's question, measured: what does Akka.Delivery cost against Fanout's own delivery? N small
/// messages from <see cref="Producers"/> runs on one node to one executor on another (two actor systems,
/// a cluster over loopback) and a report back for each, timed from the first send to the last report.
/// The same traffic for every variant; only the delivery protocol differs. Nothing is journaled.
/// </summary>
internal sealed class DeliveryScenario(string name, DeliveryVariant variant, string baseline) : IScenario
{
    /// <summary>The runs sending at once: many runs, one executor, as in a fan-out on a small cluster.</summary>
    public const int Producers = 100;

    private static readonly ConcurrentDictionary<(string Scenario, int N), double> AllocatedPerMessage = new();

    public static readonly DeliveryScenario Tell = new("delivery-tell", new TellVariant(window: 50), "delivery-tell");
    public static readonly DeliveryScenario Akka = new("delivery-akka", new ReliableVariant(flowControlWindow: null), "delivery-tell");
    public static readonly DeliveryScenario AkkaBatched = new("delivery-akka-batched", new ReliableVariant(flowControlWindow: null, maxBatch: 50, runWindow: 50), "delivery-tell");
    public static readonly DeliveryScenario Sharding = new("delivery-sharding", new ShardingVariant(), "delivery-tell");
    public static readonly DeliveryScenario TellWide = new("delivery-tell-w500", new TellVariant(window: 500), "delivery-tell-w500");
    public static readonly DeliveryScenario AkkaWide = new("delivery-akka-w500", new ReliableVariant(flowControlWindow: 500), "delivery-tell-w500");

    public string Name => name;

    /// <summary>The variant this one's rate is compared with: Fanout's own at the same window.</summary>
    public string Baseline => baseline;

    public string Description => $"{Producers} runs -> 1 executor on a 2nd node and back, N x {DeliveryPayload.Bytes} B: {variant.Describe()}";

    public bool OnlyWhenNamed => true;

    public string? SizeProblem(int n) => n < Producers ? $"{Name} needs at least {Producers} messages (one per run), not {n}" : null;

    /// <summary>Bytes allocated in this process (both nodes) per message during the timed round, if it ran.</summary>
    public static double? AllocatedBytesPerMessage(string scenario, int n) =>
        AllocatedPerMessage.TryGetValue((scenario, n), out var bytes) ? bytes : null;

    public async Task<ScenarioResult> RunAsync(int n, TempFolder temp, CancellationToken cancellationToken)
    {
        await using var pair = await LoopbackPair.StartAsync(cancellationToken);
        await RunRoundAsync(pair, "warm-up", WarmUp.Actions, cancellationToken);

        var round = new DeliveryRound(n, Producers, variant.ReadySignals(Producers));
        var actors = await SetUpAsync(pair, round, "timed", cancellationToken);
        long allocated = 0;
        var timing = await TimedSection.RunAsync(async () =>
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await SendAndAwaitAsync(round, actors, cancellationToken);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        });
        AllocatedPerMessage[(Name, n)] = (double)allocated / n;
        await StopAsync(actors);
        return ScenarioResult.From(Name, n, timing, round.Latency, journal: null, reopenSeconds: null,
            $"{variant.Describe()}; actions/s = round trips/s; latency: run hands a message to its sender to the report reaching the run; " +
            $"{(double)allocated / n:F0} B allocated per round trip (both nodes)");
    }

    private async Task RunRoundAsync(LoopbackPair pair, string roundName, int n, CancellationToken cancellationToken)
    {
        var round = new DeliveryRound(n, Producers, variant.ReadySignals(Producers));
        var actors = await SetUpAsync(pair, round, roundName, cancellationToken);
        await SendAndAwaitAsync(round, actors, cancellationToken);
        await StopAsync(actors);
    }

    private async Task<RoundActors> SetUpAsync(LoopbackPair pair, DeliveryRound round, string roundName, CancellationToken cancellationToken)
    {
        var actors = await variant.SetUpAsync(pair, round, roundName);
        await WithDeadlineAsync(round.AllReady, TimeSpan.FromSeconds(30), cancellationToken,
            () => $"{Name} {roundName}: the delivery connections did not all come up within 30 s");
        return actors;
    }

    private async Task SendAndAwaitAsync(DeliveryRound round, RoundActors actors, CancellationToken cancellationToken)
    {
        foreach (var run in actors.Runs) run.Tell(StartSending.Instance);
        // Generous: a slow variant is a figure, a stuck one an error that says how far it got.
        var deadline = TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(round.N);
        await WithDeadlineAsync(round.AllAnswered, deadline, cancellationToken,
            () => $"{Name}: after {deadline.TotalSeconds:F0} s {round.Answered:N0} of {round.N:N0} messages were answered " +
                   $"and {round.FinishedProducers} of {round.Producers} runs had every answer");
    }

    private static async Task StopAsync(RoundActors actors)
    {
        await Task.WhenAll(actors.All.Select(a => a.GracefulStop(TimeSpan.FromSeconds(10))));
    }

    private static async Task WithDeadlineAsync(Task task, TimeSpan deadline, CancellationToken cancellationToken, Func<string> whatWasAwaited)
    {
        var finished = await Task.WhenAny(task, Task.Delay(deadline, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (finished != task) throw new TimeoutException(whatWasAwaited());
        await task;
    }
}
