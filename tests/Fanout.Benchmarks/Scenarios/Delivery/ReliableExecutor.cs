using Akka.Actor;
using Akka.Delivery;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (b)'s executor, on Akka.Delivery: one ConsumerController per run delivers that run's
/// attempts (each confirmed at once: running it is a no-op), and one ProducerController per run takes
/// its reports, one per RequestNext; a report made while its run's controller has no demand waits here.
/// </summary>
internal sealed class ReliableExecutor : ReceiveActor
{
    private readonly DeliveryRound _round;
    private readonly IReadOnlyList<IActorRef> _attemptsIn;
    private readonly IReadOnlyList<IActorRef> _reportsOut;
    private readonly Dictionary<string, int> _producerOfReports;
    private readonly IActorRef?[] _demand;
    private readonly Queue<Done>[] _waiting;
    private readonly bool[] _connected;

    /// <param name="round">The round it serves.</param>
    /// <param name="attemptsIn">Per run, the local ConsumerController of its attempts.</param>
    /// <param name="reportsOut">Per run, the local ProducerController of its reports, whose producer id is <see cref="ReportsProducerId"/>.</param>
    public ReliableExecutor(DeliveryRound round, IReadOnlyList<IActorRef> attemptsIn, IReadOnlyList<IActorRef> reportsOut)
    {
        (_round, _attemptsIn, _reportsOut) = (round, attemptsIn, reportsOut);
        _producerOfReports = Enumerable.Range(0, reportsOut.Count).ToDictionary(ReportsProducerId);
        _demand = new IActorRef?[reportsOut.Count];
        _waiting = Enumerable.Range(0, reportsOut.Count).Select(_ => new Queue<Done>()).ToArray();
        _connected = new bool[reportsOut.Count];
        Receive<ConsumerController.Delivery<Work>>(OnAttempt);
        Receive<ProducerController.RequestNext<Done>>(OnRequestNext);
    }

    /// <summary>The producer id of the reports to run <paramref name="producer"/>.</summary>
    public static string ReportsProducerId(int producer) => $"reports-{producer}";

    protected override void PreStart()
    {
        foreach (var controller in _attemptsIn) controller.Tell(new ConsumerController.Start<Work>(Self));
        foreach (var controller in _reportsOut) controller.Tell(new ProducerController.Start<Done>(Self));
    }

    private void OnAttempt(ConsumerController.Delivery<Work> delivery)
    {
        delivery.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var work = delivery.Message;
        var report = new Done(work.Producer, work.Seq, DeliveryPayload.Result);
        if (_demand[work.Producer] is { } sendTo)
        {
            _demand[work.Producer] = null;
            sendTo.Tell(report);
        }
        else
        {
            _waiting[work.Producer].Enqueue(report);
        }
    }

    private void OnRequestNext(ProducerController.RequestNext<Done> next)
    {
        var producer = _producerOfReports[next.ProducerId];
        if (!_connected[producer])
        {
            _connected[producer] = true;
            _round.Ready();
        }
        if (_waiting[producer].TryDequeue(out var report)) next.SendNextTo.Tell(report);
        else _demand[producer] = next.SendNextTo;
    }
}
