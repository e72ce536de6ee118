using Akka.Actor;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// Variant (a)'s executor, the way Fanout's ActionExecutor reports: every attempt is run at once (a
/// no-op), its report queued for its run, and the queue flushed per run in one message once the
/// mailbox's attempts ahead of the flush are handled. Reports are kept until their run acknowledges
/// them and sent again when overdue; an attempt that arrives again while its report is kept is
/// answered with the kept report rather than run twice.
/// </summary>
internal sealed class TellExecutor : ReceiveActor, IWithTimers
{
    private readonly Dictionary<int, IActorRef> _runs = [];
    private readonly Dictionary<int, List<Done>> _toSend = [];
    private readonly Dictionary<int, Dictionary<long, KeptReport>> _kept = [];
    private bool _flushScheduled;

    public TellExecutor()
    {
        Receive<WorkBatch>(OnAttempts);
        Receive<FlushReports>(_ => Flush());
        Receive<DoneAcknowledged>(OnAcknowledged);
        Receive<ResendDue>(_ => ResendOverdue());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(nameof(ResendDue), ResendDue.Instance, TimeSpan.FromSeconds(1));

    private void OnAttempts(WorkBatch batch)
    {
        foreach (var work in batch.Items)
        {
            _runs[work.Producer] = Sender;
            var report = KeptFor(work.Producer).TryGetValue(work.Seq, out var kept)
                ? kept.Report
                : new Done(work.Producer, work.Seq, DeliveryPayload.Result);
            Queue(report);
        }
    }

    private void Queue(Done report)
    {
        if (!_toSend.TryGetValue(report.Producer, out var reports)) _toSend[report.Producer] = reports = [];
        reports.Add(report);
        if (_flushScheduled) return;
        _flushScheduled = true;
        Self.Tell(FlushReports.Instance);
    }

    private void Flush()
    {
        _flushScheduled = false;
        var now = Environment.TickCount64;
        foreach (var (producer, reports) in _toSend)
        {
            var kept = KeptFor(producer);
            foreach (var report in reports) kept[report.Seq] = new KeptReport(report, now);
            _runs[producer].Tell(new DoneBatch(producer, reports));
        }
        _toSend.Clear();
    }

    private void OnAcknowledged(DoneAcknowledged acknowledged)
    {
        var kept = KeptFor(acknowledged.Producer);
        foreach (var seq in acknowledged.Seqs) kept.Remove(seq);
    }

    private void ResendOverdue()
    {
        var due = Environment.TickCount64 - (long)TellRun.ResendAfter.TotalMilliseconds;
        foreach (var (producer, kept) in _kept)
        {
            var overdue = kept.Values.Where(k => k.SentAtMs <= due).Select(k => k.Report).ToList();
            if (overdue.Count == 0) continue;
            foreach (var report in overdue) kept[report.Seq] = new KeptReport(report, Environment.TickCount64);
            _runs[producer].Tell(new DoneBatch(producer, overdue));
        }
    }

    private Dictionary<long, KeptReport> KeptFor(int producer)
    {
        if (!_kept.TryGetValue(producer, out var kept)) _kept[producer] = kept = [];
        return kept;
    }

    private sealed record KeptReport(Done Report, long SentAtMs);

    private sealed class FlushReports
    {
        public static readonly FlushReports Instance = new();
    }

    private sealed class ResendDue
    {
        public static readonly ResendDue Instance = new();
    }
}
