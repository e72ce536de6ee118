using System.Globalization;
using Fanout.Benchmarks.Scenarios;
using Fanout.Benchmarks.Scenarios.Delivery;

namespace Fanout.Benchmarks.Reporting;

/// <summary>
/// The delivery scenarios side by side: each row's rate as a ratio to Fanout's own delivery at the
/// same window and N (issue 9 asks whether Akka.Delivery stays within 10% of it), with the bytes
/// allocated per round trip. Prints nothing when no delivery scenario ran.
/// </summary>
internal static class DeliveryComparison
{
    public static void Print(TextWriter output, IReadOnlyList<ScenarioResult> results)
    {
        var scenarios = ScenarioCatalog.All.OfType<DeliveryScenario>().ToDictionary(s => s.Name);
        var rows = results.Where(r => scenarios.ContainsKey(r.Scenario)).ToList();
        if (rows.Count == 0) return;

        output.WriteLine();
        output.WriteLine("Delivery, side by side (round trips/s; ratio to Fanout's own delivery at the same window):");
        output.WriteLine($"{"scenario",-22} {"N",9} {"msgs/s",9} {"p50 ms",8} {"p99 ms",8} {"peak RSS MB",11} {"heap MB",7} {"alloc B/msg",11} {"vs",-24}");
        foreach (var r in rows)
        {
            var baseline = scenarios[r.Scenario].Baseline;
            var baseRate = results.FirstOrDefault(b => b.Scenario == baseline && b.N == r.N)?.ActionsPerSecond;
            var ratio = baseRate is { } rate ? $"{(r.ActionsPerSecond / rate).ToString("F2", CultureInfo.InvariantCulture)}x {baseline}" : $"n/a ({baseline} not run)";
            var allocated = DeliveryScenario.AllocatedBytesPerMessage(r.Scenario, r.N);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Scenario,-22} {r.N,9:N0} {r.ActionsPerSecond,9:N0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.PeakRssMb,11:F0} {r.PeakHeapAfterGcMb,7:F0} {allocated,11:F0} {ratio,-24}"));
        }
    }
}
