using Akka.Actor;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>Variant (a): plain Tell with Fanout's batched acknowledgements (<see cref="TellRun"/>, <see cref="TellExecutor"/>).</summary>
internal sealed class TellVariant(int window) : DeliveryVariant
{
    public override int ReadySignals(int producers) => 0;

    public override async Task<RoundActors> SetUpAsync(LoopbackPair pair, DeliveryRound round, string roundName)
    {
        var executor = pair.Executor.ActorOf(Props.Create(() => new TellExecutor()), $"{roundName}-executor");
        var executorFromRuns = await pair.OnExecutorSeenFromRunsAsync(executor);
        var runs = Enumerable.Range(0, round.Producers)
            .Select(p => pair.Runs.ActorOf(Props.Create(() => new TellRun(p, window, round, executorFromRuns)), $"{roundName}-run-{p}"))
            .ToList();
        return new RoundActors(runs, [.. runs, executor]);
    }

    public override string Describe() =>
        $"plain Tell, attempts in batches, reports batched per run and acknowledged per batch; at most {window} unanswered per run; resend after {TellRun.ResendAfter.TotalSeconds:F0} s";
}
