using System.Collections.Concurrent;
using Fanout.Views;

namespace Fanout.Dashboard;

/// <summary>
/// Shares one summary query (with the run's group folders) per run among everyone watching it: a read younger than <see cref="MaxAge"/> (or still
/// in flight) is handed to every watcher, so N browsers on one run cost about one query a second, not N.
/// </summary>
internal sealed class SummaryCache(IRunViews views)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(900);

    /// <summary>Entries past this many are swept of the stale ones, so runs no one watches any more do not pile up.</summary>
    private const int SweepAbove = 256;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Task<RunPageView?> GetAsync(string runId, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        var entry = _entries.AddOrUpdate(runId,
            _ => Read(runId, now),
            (_, existing) => now - existing.ReadAt < MaxAge.TotalMilliseconds ? existing : Read(runId, now));
        if (_entries.Count > SweepAbove) Sweep(now);
        return entry.Summary.WaitAsync(ct);
    }

    private Entry Read(string runId, long now) =>
        // Shared by every watcher, so no one watcher's disconnect may cancel it; the views bound it with their own timeouts.
        new(views.GetRunPageAsync(runId, CancellationToken.None), now);

    private void Sweep(long now)
    {
        foreach (var (runId, entry) in _entries)
            if (now - entry.ReadAt > 10 * MaxAge.TotalMilliseconds) _entries.TryRemove(runId, out _);
    }

    private sealed record Entry(Task<RunPageView?> Summary, long ReadAt);
}
