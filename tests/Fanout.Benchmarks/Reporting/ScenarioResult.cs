using Fanout.Benchmarks.Measurement;

namespace Fanout.Benchmarks.Reporting;

/// <summary>
/// The figures of one scenario at one N. Journal figures are null where there is no SQL journal; latency
/// and heap figures are null where they were not taken in this process (the cluster's), resident sets
/// where the workers' could not be read. The run counts are set only where many runs were timed
/// (<see cref="FromRuns"/>); elsewhere the timed work is one run, and they are null.
/// </summary>
internal sealed record ScenarioResult(
    string Scenario,
    int N,
    double WallSeconds,
    double ActionsPerSecond,
    double? P50Ms,
    double? P99Ms,
    double? PeakRssMb,
    double? BaselineRssMb,
    double? PeakHeapAfterGcMb,
    double? StoredBytesPerAction,
    double? JournalRowsPerAction,
    double? ReopenSeconds,
    string Note,
    int? SucceededRuns = null,
    int? FailedRuns = null)
{
    private const double Mb = 1024 * 1024;

    /// <summary>Runs that succeeded per second of wall time, where many runs were timed.</summary>
    public double? RunsPerSecond => SucceededRuns / WallSeconds;

    public static ScenarioResult From(
        string scenario, int n, Timing timing, LatencyRecorder latency, JournalSize? journal, double? reopenSeconds, string note)
    {
        var (p50, p99) = latency.Percentiles();
        var seconds = timing.Wall.TotalSeconds;
        return new ScenarioResult(scenario, n, seconds, n / seconds, p50, p99,
            timing.PeakRssBytes / Mb, timing.BaselineRssBytes / Mb, timing.PeakHeapAfterGcBytes / Mb,
            journal is null ? null : (double)journal.StoredBytes / n,
            journal is null ? null : (double)journal.Rows / n,
            reopenSeconds,
            note);
    }

    /// <summary>A run timed in this process whose work was done elsewhere: no latencies, no heap; the resident sets are the workers'.</summary>
    public static ScenarioResult FromRemote(
        string scenario, int n, TimeSpan wall, long? baselineRssBytes, long? peakRssBytes, JournalSize journal, string note)
    {
        var seconds = wall.TotalSeconds;
        return new ScenarioResult(scenario, n, seconds, n / seconds, null, null,
            peakRssBytes / Mb, baselineRssBytes / Mb, null,
            (double)journal.StoredBytes / n, (double)journal.Rows / n, null, note);
    }

    /// <summary>
    /// Many runs timed together: the rate counts the children of the runs that succeeded only, so runs
    /// that failed or never finished lower it instead of passing for work done; they are counted beside it.
    /// </summary>
    public static ScenarioResult FromRuns(
        string scenario, int n, Timing timing, LatencyRecorder latency, JournalSize journal,
        int succeededRuns, int failedRuns, int childrenPerRun, string note)
    {
        var (p50, p99) = latency.Percentiles();
        var seconds = timing.Wall.TotalSeconds;
        return new ScenarioResult(scenario, n, seconds, (double)succeededRuns * childrenPerRun / seconds, p50, p99,
            timing.PeakRssBytes / Mb, timing.BaselineRssBytes / Mb, timing.PeakHeapAfterGcBytes / Mb,
            (double)journal.StoredBytes / n, (double)journal.Rows / n, null, note, succeededRuns, failedRuns);
    }
}
