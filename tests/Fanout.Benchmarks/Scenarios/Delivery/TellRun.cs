using Akka.Actor;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (a)'s run, the way Fanout's runs deliver: attempts go out with a plain Tell, in batches, and
/// each is kept until its report arrives; the report is the acknowledgement, and the run acknowledges
/// every batch of reports with one message. Attempts unanswered for <see cref="ResendAfter"/> are sent
/// again (on loopback none is lost, so this is bookkeeping, as it is in Fanout when nothing fails).
/// At most <c>window</c> attempts are unanswered at once, the same bound Akka.Delivery's flow control sets.
/// </summary>
internal sealed class TellRun : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(5);

    private readonly int _producer;
    private readonly int _quota;
    private readonly int _window;
    private readonly DeliveryRound _round;
    private readonly IActorRef _executor;
    private readonly Dictionary<long, long> _sentAtMs = [];
    private long _nextSeq;
    private int _answered;

    public TellRun(int producer, int window, DeliveryRound round, IActorRef executor)
    {
        (_producer, _window, _round, _executor) = (producer, window, round, executor);
        _quota = round.QuotaOf(producer);
        Receive<StartSending>(_ => SendMore());
        Receive<DoneBatch>(OnReports);
        Receive<ResendDue>(_ => ResendOverdue());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(nameof(ResendDue), ResendDue.Instance, TimeSpan.FromSeconds(1));

    private void OnReports(DoneBatch reports)
    {
        var acknowledged = new long[reports.Items.Count];
        for (var i = 0; i < acknowledged.Length; i++)
        {
            var seq = reports.Items[i].Seq;
            acknowledged[i] = seq;
            // A report sent again after its first copy arrived is acknowledged again, and counted once.
            if (!_sentAtMs.Remove(seq)) continue;
            _round.Answer(_producer, seq);
            _answered++;
        }
        _executor.Tell(new DoneAcknowledged(_producer, acknowledged));
        if (_answered == _quota) _round.ProducerFinished();
        else SendMore();
    }

    private void SendMore()
    {
        List<Work>? batch = null;
        var now = Environment.TickCount64;
        while (_sentAtMs.Count < _window && _nextSeq < _quota)
        {
            var seq = _nextSeq++;
            _round.Latency.Started(_round.CallOf(_producer, seq));
            _sentAtMs[seq] = now;
            (batch ??= []).Add(new Work(_producer, seq, DeliveryPayload.Input));
        }
        if (batch is not null) _executor.Tell(new WorkBatch(batch));
    }

    private void ResendOverdue()
    {
        var due = Environment.TickCount64 - (long)ResendAfter.TotalMilliseconds;
        var overdue = _sentAtMs.Where(s => s.Value <= due).Select(s => new Work(_producer, s.Key, DeliveryPayload.Input)).ToList();
        if (overdue.Count == 0) return;
        foreach (var work in overdue) _sentAtMs[work.Seq] = Environment.TickCount64;
        _executor.Tell(new WorkBatch(overdue));
    }

    private sealed class ResendDue
    {
        public static readonly ResendDue Instance = new();
    }
}
