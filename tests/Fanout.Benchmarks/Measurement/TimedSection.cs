using System.Diagnostics;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// What one timed section measured: its wall time, the resident set before and at its peak, and the
/// largest managed heap left after a garbage collection during it.
/// </summary>
internal sealed record Timing(TimeSpan Wall, long BaselineRssBytes, long PeakRssBytes, long PeakHeapAfterGcBytes);

/// <summary>Runs the timed part of a scenario: a full GC first, then the clock and the RSS sampler around it.</summary>
internal static class TimedSection
{
    public static async Task<Timing> RunAsync(Func<Task> body)
    {
        // Garbage left by earlier scenarios (or the warm-up) must not be counted against this one,
        // nor collected in the middle of it. An aggressive collection also hands the freed memory
        // back to the OS; a forced one keeps it committed, and the resident set of the scenario
        // after a large one would start from the large one's peak.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var baseline = Environment.WorkingSet;
        using var rss = RssSampler.Start();
        var start = Stopwatch.GetTimestamp();
        await body();
        var wall = Stopwatch.GetElapsedTime(start);
        var (peakRss, peakHeap) = rss.Stop();
        return new Timing(wall, baseline, peakRss, peakHeap);
    }
}
