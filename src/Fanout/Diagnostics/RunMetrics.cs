using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Diagnostics;

/// <summary>
/// Fanout's <see cref="Meter"/>. Counters are tagged with the task's name only, never a run or action id: a
/// million-action run must not make a million time series. The run actor feeds them from the facts it records
/// (so a recovery, which replays facts without recording them, counts nothing twice).
/// </summary>
internal static class RunMetrics
{
    public const string TaskTag = "fanout.task";
    public const string StatusTag = "fanout.run.status";
    public const string NodeTag = "fanout.node";

    public static readonly Meter Meter = new(FanoutDiagnostics.MeterName);

    private static readonly Counter<long> Started = Meter.CreateCounter<long>(
        "fanout.actions.started", "{action}", "Actions a run recorded (the root and every child call).");
    private static readonly Counter<long> Succeeded = Meter.CreateCounter<long>(
        "fanout.actions.succeeded", "{action}", "Actions that ended with a result.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>(
        "fanout.actions.failed", "{action}", "Actions that ended failed, their retries used up.");
    private static readonly Counter<long> Cancelled = Meter.CreateCounter<long>(
        "fanout.actions.cancelled", "{action}", "Actions cancelled with their run, or left unawaited when the root ended.");
    private static readonly Counter<long> Retried = Meter.CreateCounter<long>(
        "fanout.actions.retried", "{attempt}", "Failed attempts that will be retried after their backoff.");
    private static readonly Counter<long> Lost = Meter.CreateCounter<long>(
        "fanout.attempts.lost", "{attempt}", "Attempts that never reported back (their node or process stopped) and were started again or failed.");

    private static readonly Histogram<double> JournalWriteDuration = Meter.CreateHistogram<double>(
        "fanout.journal.write.duration", "s", "From a run's journal write to its callback (one group commit).");
    private static readonly Histogram<int> JournalWriteEntries = Meter.CreateHistogram<int>(
        "fanout.journal.write.entries", "{entry}", "Ledger entries one group commit wrote.");
    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "fanout.run.duration", "s", "From a run's start to its end, by root task and final status.");

    static RunMetrics()
    {
        Meter.CreateObservableGauge("fanout.executor.attempts.running", () => NodeLoads.Read(running: true), "{attempt}",
            "Attempts whose body runs on the node (parents awaiting children included).");
        Meter.CreateObservableGauge("fanout.executor.attempts.waiting", () => NodeLoads.Read(running: false), "{attempt}",
            "Attempts queued on the node for a free slot.");
    }

    /// <summary>Creates the instruments (the gauges are created with the type, once an executor registers).</summary>
    public static void EnsureCreated()
    {
    }

    /// <summary>Counts what a fact the run just recorded says; <paramref name="state"/> has it applied already.</summary>
    public static void Recorded(LedgerEntry entry, RunState state)
    {
        switch (entry.Kind)
        {
            case LedgerEntryKind.ActionRequested when Started.Enabled:
                Started.Add(1, new KeyValuePair<string, object?>(TaskTag, entry.TaskName));
                break;
            case LedgerEntryKind.ActionSucceeded when Succeeded.Enabled:
                Succeeded.Add(1, TaskOf(entry, state));
                break;
            case LedgerEntryKind.ActionFailed when Failed.Enabled:
                Failed.Add(1, TaskOf(entry, state));
                break;
            case LedgerEntryKind.ActionCancelled when Cancelled.Enabled:
                Cancelled.Add(1, TaskOf(entry, state));
                break;
            case LedgerEntryKind.AttemptFailed when Retried.Enabled:
                Retried.Add(1, TaskOf(entry, state));
                break;
            case LedgerEntryKind.RunFinished when RunDuration.Enabled && state.StartedAtMs > 0:
                RunDuration.Record(Math.Max(0, entry.AtMs - state.StartedAtMs) / 1000.0,
                    new KeyValuePair<string, object?>(TaskTag, state.RootTask),
                    new KeyValuePair<string, object?>(StatusTag, (entry.RunStatus ?? RunStatus.Failed).ToString()));
                break;
        }
    }

    /// <summary>An attempt of a <paramref name="taskName"/> action never reported back: the run takes it for lost.</summary>
    public static void AttemptLost(string taskName)
    {
        if (Lost.Enabled) Lost.Add(1, new KeyValuePair<string, object?>(TaskTag, taskName));
    }

    /// <summary>A group commit of <paramref name="entries"/> ledger entries took <paramref name="elapsed"/> to become durable.</summary>
    public static void JournalWritten(TimeSpan elapsed, int entries)
    {
        if (JournalWriteDuration.Enabled) JournalWriteDuration.Record(elapsed.TotalSeconds);
        if (JournalWriteEntries.Enabled) JournalWriteEntries.Record(entries);
    }

    /// <summary>Whether anything listens to the journal histograms (so a write need not read the clock otherwise).</summary>
    public static bool MeasuresJournal => JournalWriteDuration.Enabled;

    public static long Timestamp() => Stopwatch.GetTimestamp();

    private static KeyValuePair<string, object?> TaskOf(LedgerEntry entry, RunState state) =>
        new(TaskTag, entry.ActionId is { } id ? state.Find(id)?.TaskName : null);
}
