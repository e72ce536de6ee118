using System.Globalization;

namespace Fanout.Benchmarks.Reporting;

/// <summary>
/// Prints the results as a fixed-width table, each row's rate also as a ratio to raw sharding at the same
/// N. The resident set before the timed run is shown beside its peak: the runtime itself, and what an
/// earlier scenario left, are in both. Runs per second and failed runs are n/a where one run was timed.
/// </summary>
internal static class ResultTable
{
    private static readonly string[] Headers =
        ["scenario", "N", "wall s", "actions/s", "runs/s", "runs failed", "p50 ms", "p99 ms", "RSS before MB", "peak RSS MB", "heap after GC MB", "stored B/action", "reopen s", "vs raw-sharding"];

    public static void Print(TextWriter output, IReadOnlyList<ScenarioResult> results)
    {
        var rows = results.Select(r => Cells(r, RawShardingRate(results, r.N))).ToList();
        var widths = Headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();

        output.WriteLine(Format(Headers, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            output.WriteLine(Format(row, widths));

        output.WriteLine();
        foreach (var (scenario, note) in results.Select(r => (r.Scenario, r.Note)).Distinct())
            output.WriteLine($"{scenario}: {note}");
    }

    /// <summary>The raw-sharding rate at <paramref name="n"/>, the baseline every other row is compared with.</summary>
    public static double? RawShardingRate(IReadOnlyList<ScenarioResult> results, int n) =>
        results.FirstOrDefault(r => r.Scenario == Scenarios.RawShardingScenario.ScenarioName && r.N == n)?.ActionsPerSecond;

    private static string[] Cells(ScenarioResult r, double? rawRate) =>
    [
        r.Scenario,
        r.N.ToString("N0", CultureInfo.InvariantCulture),
        r.WallSeconds.ToString("F2", CultureInfo.InvariantCulture),
        r.ActionsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
        r.RunsPerSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a",
        r.FailedRuns?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a",
        Ms(r.P50Ms),
        Ms(r.P99Ms),
        r.BaselineRssMb?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a",
        r.PeakRssMb?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a",
        r.PeakHeapAfterGcMb?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a",
        r.StoredBytesPerAction?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a",
        r.ReopenSeconds?.ToString("F2", CultureInfo.InvariantCulture) ?? "n/a",
        rawRate is { } raw ? (r.ActionsPerSecond / raw).ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a",
    ];

    // n/a where no latency was taken. The floor's are a few dozen nanoseconds: shown as under a microsecond, not as 0.00.
    private static string Ms(double? ms) => ms switch
    {
        null => "n/a",
        < 0.001 => "<0.001",
        < 0.1 => ms.Value.ToString("F3", CultureInfo.InvariantCulture),
        _ => ms.Value.ToString("F2", CultureInfo.InvariantCulture),
    };

    // The first column reads left-aligned, the figures right-aligned.
    private static string Format(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])));
}
