using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Sharding.Delivery;
using Akka.Delivery;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (c)'s executor: attempts arrive as in (b), through one ConsumerController per run; reports go
/// out through one ShardingProducerController to the runs' sharded entities, one report per RequestNext
/// (the controller buffers those for entities without demand). Reports made while it has no demand wait here.
/// </summary>
internal sealed class ShardedReportsExecutor : ReceiveActor
{
    private readonly DeliveryRound _round;
    private readonly IReadOnlyList<IActorRef> _attemptsIn;
    private readonly IActorRef _reportsOut;
    private readonly Queue<Done> _waiting = new();
    private IActorRef? _demand;
    private bool _connected;

    /// <param name="round">The round it serves.</param>
    /// <param name="attemptsIn">Per run, the local ConsumerController of its attempts.</param>
    /// <param name="reportsOut">The local ShardingProducerController of every run's reports.</param>
    public ShardedReportsExecutor(DeliveryRound round, IReadOnlyList<IActorRef> attemptsIn, IActorRef reportsOut)
    {
        (_round, _attemptsIn, _reportsOut) = (round, attemptsIn, reportsOut);
        Receive<ConsumerController.Delivery<WorkBatch>>(OnAttempts);
        Receive<ShardingProducerController.RequestNext<DoneBatch>>(OnRequestNext);
    }

    protected override void PreStart()
    {
        foreach (var controller in _attemptsIn) controller.Tell(new ConsumerController.Start<WorkBatch>(Self));
        _reportsOut.Tell(new ShardingProducerController.Start<DoneBatch>(Self));
    }

    private void OnAttempts(ConsumerController.Delivery<WorkBatch> delivery)
    {
        delivery.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        foreach (var work in delivery.Message.Items) _waiting.Enqueue(new Done(work.Producer, work.Seq, DeliveryPayload.Result));
        if (_demand is { } sendTo)
        {
            _demand = null;
            SendOne(sendTo);
        }
    }

    private void OnRequestNext(ShardingProducerController.RequestNext<DoneBatch> next)
    {
        if (!_connected)
        {
            _connected = true;
            _round.Ready();
        }
        if (_waiting.Count > 0) SendOne(next.SendNextTo);
        else _demand = next.SendNextTo;
    }

    private void SendOne(IActorRef sendTo)
    {
        var report = _waiting.Dequeue();
        sendTo.Tell(new ShardingEnvelope(RunReportsEntity.EntityId(report.Producer), new DoneBatch(report.Producer, [report])));
    }
}
