using Fanout.Protocol;

namespace Fanout.Runtime.Execution;

/// <summary>
/// Reports of ended attempts that an executor keeps until their run acknowledges them. A report sent once
/// may be lost (remoting delivers at most once, and a run that is moving between nodes drops what reaches
/// its old home), and the body must not run again because of it: so a kept report is sent again with
/// backoff, answers a run that re-sends the attempt, and answers a run that re-attaches after a move.
/// </summary>
internal sealed class ReportOutbox(TimeSpan firstResend, TimeSpan maxResend)
{
    private readonly Dictionary<string, Dictionary<string, Kept>> _byRun = new(StringComparer.Ordinal);

    /// <summary>How many reports wait for an acknowledgement.</summary>
    public int Count { get; private set; }

    /// <summary>Keeps a report that is being sent now; a later attempt's report replaces an earlier one's.</summary>
    public void Keep(AttemptFinished report, long nowMs)
    {
        if (!_byRun.TryGetValue(report.RunId, out var reports)) _byRun[report.RunId] = reports = new(StringComparer.Ordinal);
        if (reports.TryGetValue(report.ActionId, out var kept) && kept.Report.Attempt > report.Attempt) return;
        if (kept is null) Count++;
        reports[report.ActionId] = new Kept(report, nowMs + (long)firstResend.TotalMilliseconds);
    }

    /// <summary>Forgets the acknowledged reports (and any of an earlier attempt of the same action).</summary>
    public void Acknowledge(string runId, IEnumerable<AttemptKey> keys)
    {
        if (!_byRun.TryGetValue(runId, out var reports)) return;
        foreach (var key in keys)
        {
            if (reports.TryGetValue(key.ActionId, out var kept) && kept.Report.Attempt <= key.Attempt && reports.Remove(key.ActionId))
                Count--;
        }
        if (reports.Count == 0) _byRun.Remove(runId);
    }

    /// <summary>The kept report of this attempt (or a later one) of the action, if any.</summary>
    public AttemptFinished? Find(string runId, string actionId, int attempt) =>
        _byRun.TryGetValue(runId, out var reports) && reports.TryGetValue(actionId, out var kept) && kept.Report.Attempt >= attempt
            ? kept.Report
            : null;

    /// <summary>Every kept report of the run.</summary>
    public IReadOnlyList<AttemptFinished> Of(string runId) =>
        _byRun.TryGetValue(runId, out var reports) ? reports.Values.Select(k => k.Report).ToList() : [];

    /// <summary>The reports whose acknowledgement is overdue, by run; each is due again after twice the wait.</summary>
    public IEnumerable<(string RunId, List<AttemptFinished> Reports)> TakeDue(long nowMs)
    {
        foreach (var (runId, reports) in _byRun)
        {
            List<AttemptFinished>? due = null;
            foreach (var kept in reports.Values)
            {
                if (kept.NextSendMs > nowMs) continue;
                (due ??= []).Add(kept.Report);
                kept.Sends++;
                kept.NextSendMs = nowMs + (long)Math.Min(firstResend.TotalMilliseconds * Math.Pow(2, kept.Sends), maxResend.TotalMilliseconds);
            }
            if (due is not null) yield return (runId, due);
        }
    }

    private sealed class Kept(AttemptFinished report, long nextSendMs)
    {
        public AttemptFinished Report { get; } = report;
        public long NextSendMs { get; set; } = nextSendMs;
        public int Sends { get; set; }
    }
}
