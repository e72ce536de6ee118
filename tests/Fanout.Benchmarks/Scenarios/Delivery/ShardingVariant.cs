using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Sharding.Delivery;
using Akka.Delivery;
using Akka.Util;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (c): Akka.Cluster.Sharding.Delivery for the run side. The runs' reports travel from one
/// ShardingProducerController on the executor's node to the runs as sharded entities (a region on the
/// runs' node, reached through a proxy; each entity wrapped by a ShardingConsumerController). Attempts
/// travel as in (b), a ProducerController/ConsumerController pair per run: the executor is one actor
/// per node, not an entity. One attempt or report per message; default settings.
/// </summary>
internal sealed class ShardingVariant : DeliveryVariant
{
    // Every run's attempts controller, and the executor's one ShardingProducerController.
    public override int ReadySignals(int producers) => producers + 1;

    public override async Task<RoundActors> SetUpAsync(LoopbackPair pair, DeliveryRound round, string roundName)
    {
        var all = new List<IActorRef>();
        var attemptsIn = new List<IActorRef>();
        var runs = new List<IActorRef>();
        for (var p = 0; p < round.Producers; p++)
        {
            var attemptsConsumer = pair.Executor.ActorOf(
                ConsumerController.Create<WorkBatch>(pair.Executor, Option<IActorRef>.None), $"{roundName}-attempts-in-{p}");
            var attemptsProducer = pair.Runs.ActorOf(
                ProducerController.Create<WorkBatch>(pair.Runs, $"attempts-{p}", Option<Props>.None), $"{roundName}-attempts-out-{p}");
            attemptsIn.Add(attemptsConsumer);
            attemptsProducer.Tell(new ProducerController.RegisterConsumer<WorkBatch>(await pair.OnExecutorSeenFromRunsAsync(attemptsConsumer)));
            var producer = p;
            runs.Add(pair.Runs.ActorOf(
                Props.Create(() => new ReliableRun(producer, round, attemptsProducer, null, 1, int.MaxValue)), $"{roundName}-run-{p}"));
            all.AddRange([attemptsConsumer, attemptsProducer]);
        }

        // A region per round, so the timed round's entities are new.
        var typeName = $"{roundName}-run-reports";
        await ClusterSharding.Get(pair.Runs).StartAsync(
            typeName,
            ShardingConsumerController.Create<DoneBatch>(
                consumerController => Props.Create(() => new RunReportsEntity(consumerController, runs)),
                ShardingConsumerController.Settings.Create(pair.Runs)),
            ClusterShardingSettings.Create(pair.Runs).WithRole(LoopbackPair.RunsRole).WithRememberEntities(false),
            new RunReportsEntity.Extractor());
        var proxy = await ClusterSharding.Get(pair.Executor).StartProxyAsync(typeName, LoopbackPair.RunsRole, new RunReportsEntity.Extractor());
        var reportsOut = pair.Executor.ActorOf(
            ShardingProducerController.Create<DoneBatch>($"{roundName}-executor", proxy, Option<Props>.None,
                ShardingProducerController.Settings.Create(pair.Executor)),
            $"{roundName}-reports-out");
        var executor = pair.Executor.ActorOf(
            Props.Create(() => new ShardedReportsExecutor(round, attemptsIn, reportsOut)), $"{roundName}-executor");
        return new RoundActors(runs, [.. runs, executor, reportsOut, .. all]);
    }

    public override string Describe() =>
        "Akka.Cluster.Sharding.Delivery: reports through one ShardingProducerController to the runs as sharded entities (ShardingConsumerController); " +
        "attempts through a ProducerController/ConsumerController pair per run; one attempt or report per message; default settings";
}
