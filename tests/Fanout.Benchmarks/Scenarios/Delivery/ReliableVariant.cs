using Akka.Actor;
using Akka.Delivery;
using Akka.Util;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (b): Akka.Delivery point to point, a ProducerController/ConsumerController pair per run in
/// each direction (attempts to the executor, reports back), with the settings of the actor system's
/// configuration except, when given, the consumer's flow-control window.
/// </summary>
internal sealed class ReliableVariant(int? flowControlWindow) : DeliveryVariant
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
                ConsumerController.Create<Work>(pair.Executor, Option<IActorRef>.None, ConsumerSettings(pair.Executor)), $"{roundName}-attempts-in-{p}");
            var reportsProducer = pair.Executor.ActorOf(
                ProducerController.Create<Done>(pair.Executor, ReliableExecutor.ReportsProducerId(p), Option<Props>.None), $"{roundName}-reports-out-{p}");
            attemptsIn.Add(attemptsConsumer);
            reportsOut.Add(reportsProducer);

            // The run's side.
            var attemptsProducer = pair.Runs.ActorOf(
                ProducerController.Create<Work>(pair.Runs, $"attempts-{p}", Option<Props>.None), $"{roundName}-attempts-out-{p}");
            var reportsConsumer = pair.Runs.ActorOf(
                ConsumerController.Create<Done>(pair.Runs, Option<IActorRef>.None, ConsumerSettings(pair.Runs)), $"{roundName}-reports-in-{p}");
            attemptsProducer.Tell(new ProducerController.RegisterConsumer<Work>(await pair.OnExecutorSeenFromRunsAsync(attemptsConsumer)));
            reportsConsumer.Tell(new ConsumerController.RegisterToProducerController<Done>(await pair.OnExecutorSeenFromRunsAsync(reportsProducer)));

            var producer = p;
            runs.Add(pair.Runs.ActorOf(
                Props.Create(() => new ReliableRun(producer, round, attemptsProducer, reportsConsumer)), $"{roundName}-run-{p}"));
            all.AddRange([attemptsConsumer, reportsProducer, attemptsProducer, reportsConsumer]);
        }
        var executor = pair.Executor.ActorOf(
            Props.Create(() => new ReliableExecutor(round, attemptsIn, reportsOut)), $"{roundName}-executor");
        return new RoundActors(runs, [.. runs, executor, .. all]);
    }

    public override string Describe() =>
        $"Akka.Delivery ProducerController/ConsumerController per run and direction; flow-control window {(flowControlWindow is { } w ? w.ToString() : $"{DefaultWindow} (default)")}";

    private static int DefaultWindow => ConsumerController.Settings.Create(ActorSystemConfigDefaults()).FlowControlWindow;

    private static Akka.Configuration.Config ActorSystemConfigDefaults() =>
        Akka.Configuration.ConfigurationFactory.Default().GetConfig("akka.reliable-delivery.consumer-controller");

    private ConsumerController.Settings ConsumerSettings(ActorSystem system)
    {
        var settings = ConsumerController.Settings.Create(system);
        return flowControlWindow is { } window ? settings with { FlowControlWindow = window } : settings;
    }
}
