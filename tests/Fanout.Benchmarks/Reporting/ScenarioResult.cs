using Fanout.Benchmarks.Measurement;

namespace Fanout.Benchmarks.Reporting;

/// <summary>The figures of one scenario at one N. Journal figures are null where there is no SQLite journal.</summary>
internal sealed record ScenarioResult(
    string Scenario,
    int N,
    double WallSeconds,
    double ActionsPerSecond,
    double P50Ms,
    double P99Ms,
    double PeakRssMb,
    double BaselineRssMb,
    double PeakHeapAfterGcMb,
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
}
