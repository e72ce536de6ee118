using Akka.Actor;
using Akka.Delivery;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (b)'s run, on Akka.Delivery: it hands one attempt at a time to its own ProducerController
/// when that asks for the next (RequestNext), and receives its reports from its own ConsumerController,
/// confirming each. Sequencing, flow control, acknowledgement and resending are the controllers'.
/// </summary>
internal sealed class ReliableRun : ReceiveActor
{
    private readonly int _producer;
    private readonly int _quota;
    private readonly DeliveryRound _round;
    private readonly IActorRef _attemptsOut;
    private readonly IActorRef _reportsIn;
    private IActorRef? _sendNextTo;
    private bool _connected;
    private bool _started;
    private long _nextSeq;
    private int _answered;

    /// <param name="producer">This run's number.</param>
    /// <param name="round">The round it belongs to.</param>
    /// <param name="attemptsOut">Its local ProducerController of attempts.</param>
    /// <param name="reportsIn">Its local ConsumerController of reports.</param>
    public ReliableRun(int producer, DeliveryRound round, IActorRef attemptsOut, IActorRef reportsIn)
    {
        (_producer, _round, _attemptsOut, _reportsIn) = (producer, round, attemptsOut, reportsIn);
        _quota = round.QuotaOf(producer);
        Receive<ProducerController.RequestNext<Work>>(OnRequestNext);
        Receive<StartSending>(_ =>
        {
            _started = true;
            SendOne();
        });
        Receive<ConsumerController.Delivery<Done>>(OnReport);
    }

    protected override void PreStart()
    {
        _attemptsOut.Tell(new ProducerController.Start<Work>(Self));
        _reportsIn.Tell(new ConsumerController.Start<Done>(Self));
    }

    private void OnRequestNext(ProducerController.RequestNext<Work> next)
    {
        _sendNextTo = next.SendNextTo;
        // The first demand comes only once the executor's ConsumerController has registered.
        if (!_connected)
        {
            _connected = true;
            _round.Ready();
        }
        if (_started) SendOne();
    }

    private void SendOne()
    {
        if (_sendNextTo is null || _nextSeq >= _quota) return;
        var seq = _nextSeq++;
        _round.Latency.Started(_round.CallOf(_producer, seq));
        _sendNextTo.Tell(new Work(_producer, seq, DeliveryPayload.Input));
        _sendNextTo = null;
    }

    private void OnReport(ConsumerController.Delivery<Done> delivery)
    {
        delivery.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        _round.Answer(_producer, delivery.Message.Seq);
        if (++_answered == _quota) _round.ProducerFinished();
    }
}
