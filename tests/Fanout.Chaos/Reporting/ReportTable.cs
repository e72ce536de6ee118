namespace Fanout.Chaos.Reporting;

/// <summary>Prints the report: the runs by pattern, the faults, then each check with what broke it.</summary>
internal static class ReportTable
{
    private const int ShownDetails = 15;

    public static void Print(TextWriter output, ChaosReport report)
    {
        var s = report.Settings;
        output.WriteLine($"Fanout chaos: {report.FaultSeconds / 60:F1} min of faults ({report.TotalSeconds / 60:F1} min in all), {ChaosSettings.Workers} workers x {s.Slots} slots, " +
                         $"{s.RunsInFlight} runs at once, drop {s.Drop:0.###}, seed {s.Seed}");
        output.WriteLine();
        output.WriteLine($"{"pattern",-9} {"runs",5} {"right",6} {"wrong",6} {"lost",5} {"start failed",13} {"actions",8} {"longest stall",14}");
        foreach (var p in report.Patterns)
            output.WriteLine($"{p.Pattern,-9} {p.Runs,5} {p.Right,6} {p.Wrong,6} {p.Lost,5} {p.StartFailed,13} {p.Actions,8} {p.LongestStallSeconds,12:F1} s");
        output.WriteLine($"{"total",-9} {report.Runs,5} {report.Patterns.Sum(p => p.Right),6} {report.WrongResults,6} {report.LostRuns,5} {report.FailedStarts,13} " +
                         $"{report.Actions,8} {report.LongestStallSeconds,12:F1} s");
        output.WriteLine();

        var exits = report.SigtermExitSeconds;
        output.WriteLine($"faults:       {report.Kills} kill -9, {report.SigtermLeaves + report.SigtermForced} SIGTERM " +
                         $"({report.SigtermLeaves} left{(exits.Count > 0 ? $" in {exits.Min():F1}-{exits.Max():F1} s" : "")}, {report.SigtermForced} killed after 45 s), " +
                         $"{report.UnplannedExits} worker exit(s) nobody asked for, {report.WorkerStartFailures.Count} worker start(s) that failed");
        foreach (var failure in report.WorkerStartFailures.Take(ShownDetails)) output.WriteLine($"  start failed: {Shorten(failure)}");
        if (s.Drop > 0)
            output.WriteLine($"message loss: {report.FramesDropped:N0} of {report.FramesWritten:N0} payload frames dropped " +
                             $"({(report.FramesWritten == 0 ? 0 : 100.0 * report.FramesDropped / report.FramesWritten):F2}%)");
        output.WriteLine($"work:         {report.Actions:N0} actions, {report.Attempts:N0} attempts journaled, {report.BodyExecutions:N0} body executions logged");
        output.WriteLine();

        output.WriteLine($"{"check",-40} {"value",-14} {"bound",-8} result");
        foreach (var check in report.Checks)
            output.WriteLine($"{check.Name,-40} {check.Value,-14} {check.Bound,-8} {(check.Passed ? "pass" : "FAIL")}");
        output.WriteLine($"{"bodies run more than planned",-40} {report.BodiesRunMoreThanPlanned,-14} {"-",-8} " +
                         $"allowed (at-least-once): {report.ParentsRunMoreThanPlanned} parent(s); " +
                         $"{report.BodiesRunMoreThanPlanned - report.ExtraWhileNodeUp} after the node of the earlier run went down, {report.ExtraWhileNodeUp} while it was up");

        foreach (var check in report.Checks.Where(c => !c.Passed))
        {
            output.WriteLine();
            output.WriteLine($"{check.Name}:");
            foreach (var detail in check.Details.Take(ShownDetails)) output.WriteLine($"  {detail}");
            if (check.Details.Count > ShownDetails) output.WriteLine($"  ... and {check.Details.Count - ShownDetails} more (see --json)");
        }
        if (report.ExtraExecutions.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("bodies run more than planned (first ones; all in --json):");
            foreach (var extra in report.ExtraExecutions.Take(ShownDetails))
                output.WriteLine($"  run {extra.Run} {extra.Task} {extra.Key}: ran {extra.Ran}, planned {extra.Planned}: {extra.Explanation}");
        }
        output.WriteLine();
        output.WriteLine(report.Passed ? "all checks passed" : $"{report.Checks.Count(c => !c.Passed)} check(s) failed");
    }

    // A failed start's message holds the worker's last lines; the first few hundred characters name the cause.
    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + " ...";
}
