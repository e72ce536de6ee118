using Fanout.Benchmarks.Measurement;

namespace Fanout.Benchmarks.Reporting;

/// <summary>
/// The figures of one scenario at one N. Journal figures are null where there is no SQL journal; latency
/// and heap figures are null where they were not taken in this process (the cluster's), resident sets
/// where the workers' could not be read.
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
    string Note)
{
    private const double Mb = 1024 * 1024;

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
}
