using Akka.Actor;
using Akka.Delivery;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// The executor on Akka.Delivery (variants b and b'): one ConsumerController per run delivers that run's
/// attempts (each confirmed at once: running it is a no-op), and one ProducerController per run takes
/// its reports, up to <c>maxBatch</c> in one message per RequestNext; reports made while their run's
/// controller has no demand wait here.
/// </summary>
internal sealed class ReliableExecutor : ReceiveActor
{
    private readonly DeliveryRound _round;
    private readonly IReadOnlyList<IActorRef> _attemptsIn;
    private readonly IReadOnlyList<IActorRef> _reportsOut;
    private readonly int _maxBatch;
    private readonly Dictionary<string, int> _producerOfReports;
    private readonly IActorRef?[] _demand;
    private readonly Queue<Done>[] _waiting;
    private readonly bool[] _connected;

    /// <param name="round">The round it serves.</param>
    /// <param name="attemptsIn">Per run, the local ConsumerController of its attempts.</param>
    /// <param name="reportsOut">Per run, the local ProducerController of its reports, whose producer id is <see cref="ReportsProducerId"/>.</param>
    /// <param name="maxBatch">Reports per message at most.</param>
    public ReliableExecutor(DeliveryRound round, IReadOnlyList<IActorRef> attemptsIn, IReadOnlyList<IActorRef> reportsOut, int maxBatch)
    {
        (_round, _attemptsIn, _reportsOut, _maxBatch) = (round, attemptsIn, reportsOut, maxBatch);
        _producerOfReports = Enumerable.Range(0, reportsOut.Count).ToDictionary(ReportsProducerId);
        _demand = new IActorRef?[reportsOut.Count];
        _waiting = Enumerable.Range(0, reportsOut.Count).Select(_ => new Queue<Done>()).ToArray();
        _connected = new bool[reportsOut.Count];
        Receive<ConsumerController.Delivery<WorkBatch>>(OnAttempts);
        Receive<ProducerController.RequestNext<DoneBatch>>(OnRequestNext);
    }

    /// <summary>The producer id of the reports to run <paramref name="producer"/>.</summary>
    public static string ReportsProducerId(int producer) => $"reports-{producer}";

    protected override void PreStart()
    {
        foreach (var controller in _attemptsIn) controller.Tell(new ConsumerController.Start<WorkBatch>(Self));
        foreach (var controller in _reportsOut) controller.Tell(new ProducerController.Start<DoneBatch>(Self));
    }

    private void OnAttempts(ConsumerController.Delivery<WorkBatch> delivery)
    {
        delivery.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var items = delivery.Message.Items;
        if (items.Count == 0) return;
        var producer = items[0].Producer;
        foreach (var work in items) _waiting[producer].Enqueue(new Done(work.Producer, work.Seq, DeliveryPayload.Result));
        if (_demand[producer] is { } sendTo)
        {
            _demand[producer] = null;
            SendReports(producer, sendTo);
        }
    }

    private void OnRequestNext(ProducerController.RequestNext<DoneBatch> next)
    {
        var producer = _producerOfReports[next.ProducerId];
        if (!_connected[producer])
        {
            _connected[producer] = true;
            _round.Ready();
        }
        if (_waiting[producer].Count > 0) SendReports(producer, next.SendNextTo);
        else _demand[producer] = next.SendNextTo;
    }

    private void SendReports(int producer, IActorRef sendTo)
    {
        var waiting = _waiting[producer];
        var batch = new Done[Math.Min(_maxBatch, waiting.Count)];
        for (var i = 0; i < batch.Length; i++) batch[i] = waiting.Dequeue();
        sendTo.Tell(new DoneBatch(producer, batch));
    }
}
