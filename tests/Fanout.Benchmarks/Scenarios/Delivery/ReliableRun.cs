using Akka.Actor;
using Akka.Delivery;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// A run on Akka.Delivery (variants b and b'): it hands its attempts to its own ProducerController, one
/// message per RequestNext, and receives its reports from its own ConsumerController, confirming each.
/// Sequencing, flow control, acknowledgement and resending are the controllers'. A message carries up
/// to <c>maxBatch</c> attempts (1: one attempt per message, as the issue suggested); at most
/// <c>window</c> attempts are unanswered at once (beyond the controllers' own flow control).
/// </summary>
internal sealed class ReliableRun : ReceiveActor
{
    private readonly int _producer;
    private readonly int _quota;
    private readonly int _maxBatch;
    private readonly int _window;
    private readonly DeliveryRound _round;
    private readonly IActorRef _attemptsOut;
    private readonly IActorRef? _reportsIn;
    private IActorRef? _sendNextTo;
    private bool _connected;
    private bool _started;
    private long _nextSeq;
    private int _unanswered;
    private int _answered;

    /// <param name="producer">This run's number.</param>
    /// <param name="round">The round it belongs to.</param>
    /// <param name="attemptsOut">Its local ProducerController of attempt batches.</param>
    /// <param name="reportsIn">
    /// Its local ConsumerController of report batches; null where reports come through a sharded entity
    /// (<see cref="RunReportsEntity"/>), which forwards their deliveries here.
    /// </param>
    /// <param name="maxBatch">Attempts per message at most.</param>
    /// <param name="window">Attempts unanswered at once at most.</param>
    public ReliableRun(int producer, DeliveryRound round, IActorRef attemptsOut, IActorRef? reportsIn, int maxBatch, int window)
    {
        (_producer, _round, _attemptsOut, _reportsIn, _maxBatch, _window) = (producer, round, attemptsOut, reportsIn, maxBatch, window);
        _quota = round.QuotaOf(producer);
        Receive<ProducerController.RequestNext<WorkBatch>>(OnRequestNext);
        Receive<StartSending>(_ =>
        {
            _started = true;
            SendMore();
        });
        Receive<ConsumerController.Delivery<DoneBatch>>(OnReports);
    }

    protected override void PreStart()
    {
        _attemptsOut.Tell(new ProducerController.Start<WorkBatch>(Self));
        _reportsIn?.Tell(new ConsumerController.Start<DoneBatch>(Self));
    }

    private void OnRequestNext(ProducerController.RequestNext<WorkBatch> next)
    {
        _sendNextTo = next.SendNextTo;
        // The first demand comes only once the executor's ConsumerController has registered.
        if (!_connected)
        {
            _connected = true;
            _round.Ready();
        }
        if (_started) SendMore();
    }

    private void SendMore()
    {
        var count = (int)Math.Min(Math.Min(_maxBatch, _window - _unanswered), _quota - _nextSeq);
        if (_sendNextTo is null || count <= 0) return;
        var batch = new Work[count];
        for (var i = 0; i < count; i++)
        {
            var seq = _nextSeq++;
            _round.Latency.Started(_round.CallOf(_producer, seq));
            batch[i] = new Work(_producer, seq, DeliveryPayload.Input);
        }
        _unanswered += count;
        _sendNextTo.Tell(new WorkBatch(batch));
        _sendNextTo = null;
    }

    private void OnReports(ConsumerController.Delivery<DoneBatch> delivery)
    {
        delivery.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        // The ConsumerController deduplicates: each report arrives here once.
        foreach (var report in delivery.Message.Items) _round.Answer(_producer, report.Seq);
        _unanswered -= delivery.Message.Items.Count;
        _answered += delivery.Message.Items.Count;
        if (_answered == _quota) _round.ProducerFinished();
        else SendMore();
    }
}
