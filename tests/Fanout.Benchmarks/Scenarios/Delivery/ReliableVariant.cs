using Akka.Actor;
using Akka.Delivery;
using Akka.Util;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variants (b) and (b'): Akka.Delivery point to point, a ProducerController/ConsumerController pair per
/// run in each direction (attempts to the executor, reports back), with the settings of the actor
/// system's configuration except, when given, the consumer's flow-control window. (b) carries one
/// attempt or report per message, as the issue suggested; (b') carries Fanout's batches (up to
/// <c>maxBatch</c> per message, at most <c>runWindow</c> unanswered per run) through the same controllers.
/// </summary>
internal sealed class ReliableVariant(int? flowControlWindow, int maxBatch = 1, int runWindow = int.MaxValue) : DeliveryVariant
{
    // Every run's attempts controller and the executor's reports controller for it.
    public override int ReadySignals(int producers) => 2 * producers;

    public override async Task<RoundActors> SetUpAsync(LoopbackPair pair, DeliveryRound round, string roundName)
    {
        var all = new List<IActorRef>();
        var attemptsIn = new List<IActorRef>();
        var reportsOut = new List<IActorRef>();
        var runs = new List<IActorRef>();
        for (var p = 0; p < round.Producers; p++)
        {
            // The executor's side of run p.
            var attemptsConsumer = pair.Executor.ActorOf(
                ConsumerController.Create<WorkBatch>(pair.Executor, Option<IActorRef>.None, ConsumerSettings(pair.Executor)), $"{roundName}-attempts-in-{p}");
            var reportsProducer = pair.Executor.ActorOf(
                ProducerController.Create<DoneBatch>(pair.Executor, ReliableExecutor.ReportsProducerId(p), Option<Props>.None), $"{roundName}-reports-out-{p}");
            attemptsIn.Add(attemptsConsumer);
            reportsOut.Add(reportsProducer);

            // The run's side.
            var attemptsProducer = pair.Runs.ActorOf(
                ProducerController.Create<WorkBatch>(pair.Runs, $"attempts-{p}", Option<Props>.None), $"{roundName}-attempts-out-{p}");
            var reportsConsumer = pair.Runs.ActorOf(
                ConsumerController.Create<DoneBatch>(pair.Runs, Option<IActorRef>.None, ConsumerSettings(pair.Runs)), $"{roundName}-reports-in-{p}");
            attemptsProducer.Tell(new ProducerController.RegisterConsumer<WorkBatch>(await pair.OnExecutorSeenFromRunsAsync(attemptsConsumer)));
            reportsConsumer.Tell(new ConsumerController.RegisterToProducerController<DoneBatch>(await pair.OnExecutorSeenFromRunsAsync(reportsProducer)));

            var producer = p;
            runs.Add(pair.Runs.ActorOf(
                Props.Create(() => new ReliableRun(producer, round, attemptsProducer, reportsConsumer, maxBatch, runWindow)), $"{roundName}-run-{p}"));
            all.AddRange([attemptsConsumer, reportsProducer, attemptsProducer, reportsConsumer]);
        }
        var executor = pair.Executor.ActorOf(
            Props.Create(() => new ReliableExecutor(round, attemptsIn, reportsOut, maxBatch)), $"{roundName}-executor");
        return new RoundActors(runs, [.. runs, executor, .. all]);
    }

    public override string Describe() =>
        $"Akka.Delivery ProducerController/ConsumerController per run and direction; flow-control window {(flowControlWindow is { } w ? w.ToString() : $"{DefaultWindow} (default)")} messages; " +
        (maxBatch == 1 ? "one attempt or report per message" : $"up to {maxBatch} attempts or reports per message, at most {runWindow} unanswered per run");

    private static int DefaultWindow => ConsumerController.Settings.Create(ActorSystemConfigDefaults()).FlowControlWindow;

    private static Akka.Configuration.Config ActorSystemConfigDefaults() =>
        Akka.Configuration.ConfigurationFactory.Default().GetConfig("akka.reliable-delivery.consumer-controller");

    private ConsumerController.Settings ConsumerSettings(ActorSystem system)
    {
        var settings = ConsumerController.Settings.Create(system);
        return flowControlWindow is { } window ? settings with { FlowControlWindow = window } : settings;
    }
}
