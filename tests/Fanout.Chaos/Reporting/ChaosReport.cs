using Fanout.Chaos.Checks;
using Fanout.Chaos.Cluster;
using Fanout.Chaos.Faults;
using Fanout.Chaos.Patterns;
using Fanout.Chaos.Runs;

namespace Fanout.Chaos.Reporting;

/// <summary>A check of the session: its figure, its bound, whether it held, and what broke it.</summary>
internal sealed record Check(string Name, string Value, string Bound, bool Passed, IReadOnlyList<string> Details);

/// <summary>One pattern's runs.</summary>
internal sealed record PatternLine(string Pattern, int Runs, int Right, int Wrong, int Lost, int StartFailed, int Actions, double LongestStallSeconds);

/// <summary>Everything the session found: the table's figures and the checks, also written as JSON.</summary>
internal sealed record ChaosReport(
    ChaosSettings Settings,
    double FaultSeconds,
    double TotalSeconds,
    IReadOnlyList<PatternLine> Patterns,
    int Runs,
    int Actions,
    int Attempts,
    int Kills,
    int SigtermLeaves,
    int SigtermForced,
    IReadOnlyList<double> SigtermExitSeconds,
    int UnplannedExits,
    IReadOnlyList<string> WorkerStartFailures,
    long FramesWritten,
    long FramesDropped,
    double LongestStallSeconds,
    string? LongestStallRun,
    int LostRuns,
    int WrongResults,
    int FailedStarts,
    int DuplicatedOutcomes,
    int BodyExecutions,
    int BodiesRunMoreThanPlanned,
    int ParentsRunMoreThanPlanned,
    int ExtraWhileNodeUp,
    IReadOnlyList<ExtraExecution> ExtraExecutions,
    IReadOnlyList<FaultEvent> Faults,
    IReadOnlyList<Check> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);

    public static ChaosReport Build(ChaosSettings settings, double faultSeconds, double totalSeconds, IReadOnlyList<RunRecord> runs,
        IReadOnlyList<FaultEvent> faults, IReadOnlyList<string> workerStartFailures, JournalFindings journal, ExecutionFindings executions,
        (long Written, long Dropped) frames)
    {
        var accepted = runs.Where(r => r.RunId is not null).ToList();
        var journalByRun = journal.Runs.ToDictionary(r => r.RunId);
        int ActionsOf(RunRecord r) => journalByRun.TryGetValue(r.RunId ?? "", out var j) ? j.Requested.Count : r.Actions;

        var patterns = PatternCatalog.All.Select(p =>
        {
            var of = runs.Where(r => r.Plan.Pattern == p.Name).ToList();
            var started = of.Where(r => r.RunId is not null).ToList();
            return new PatternLine(p.Name, started.Count, started.Count(r => r.Finished && r.Problem is null), started.Count(r => r.Finished && r.Problem is not null),
                started.Count(r => !r.Finished), of.Count(r => r.StartError is not null), started.Sum(ActionsOf),
                started.Count == 0 ? 0 : started.Max(r => r.LongestStall.TotalSeconds));
        }).ToList();

        var lost = accepted.Where(r => !r.Finished).ToList();
        var wrong = accepted.Where(r => r.Finished && r.Problem is not null).ToList();
        var failedStarts = runs.Where(r => r.StartError is not null).ToList();
        var duplicated = journal.Runs.SelectMany(j => j.Duplicated.Select(d => $"{j.RunId} action {d.ActionId}: {string.Join(", ", d.Outcomes)}"))
            .Concat(journal.Runs.Where(j => j.RunFinished > 1).Select(j => $"{j.RunId}: RunFinished recorded {j.RunFinished} times"))
            .ToList();
        var partial = journal.Runs.Where(j => j.Partial).Select(j => $"{j.RunId}: {j.Snapshots} snapshot(s), {j.DeletedRows} deleted row(s)").ToList();
        var longest = accepted.MaxBy(r => r.LongestStall);
        var stalled = accepted.Where(r => r.LongestStall.TotalSeconds > settings.StallBoundSeconds)
            .Select(r => $"run {r.Index} ({r.Plan.Pattern}) {r.RunId}: {r.LongestStall.TotalSeconds:F1} s without progress from {r.LongestStallFrom.ToLocalTime():HH:mm:ss}" +
                         $"{(r.Finished ? "" : " (never finished)")}")
            .ToList();
        var exitSeconds = faults.Where(f => f.Kind == FaultEvent.Left).Select(f => f.Seconds ?? 0).ToList();

        var checks = new List<Check>
        {
            new("runs lost (not finished)", $"{lost.Count}", "0", lost.Count == 0,
                lost.Select(r => $"run {r.Index} ({r.Plan.Pattern}, {r.Plan.Shape}) {r.RunId} started {r.StartedAt.ToLocalTime():HH:mm:ss}, " +
                                 $"last progress {r.LastProgress.ToLocalTime():HH:mm:ss}, {r.Actions} action(s) seen").ToList()),
            new("runs with a wrong end", $"{wrong.Count}", "0", wrong.Count == 0,
                wrong.Select(r => $"run {r.Index} ({r.Plan.Pattern}) {r.RunId}: {r.Problem}").ToList()),
            new("starts that failed", $"{failedStarts.Count}", "0", failedStarts.Count == 0,
                failedStarts.Select(r => $"run {r.Index} ({r.Plan.Pattern}) at {r.StartedAt.ToLocalTime():HH:mm:ss}: {r.StartError}").ToList()),
            new("duplicated outcomes", $"{duplicated.Count}", "0", duplicated.Count == 0, duplicated),
            new("journal read whole", $"{journal.Runs.Count - partial.Count}/{journal.Runs.Count} runs", "all", partial.Count == 0, partial),
            new("longest stall", $"{longest?.LongestStall.TotalSeconds ?? 0:F1} s", $"{settings.StallBoundSeconds:F0} s", stalled.Count == 0, stalled),
            new("bodies missing from the execution log", $"{executions.Missing.Count}", "0", executions.Missing.Count == 0, executions.Missing),
        };

        return new ChaosReport(settings, faultSeconds, totalSeconds, patterns, accepted.Count, patterns.Sum(p => p.Actions),
            journal.Runs.Sum(j => j.Attempts.Values.Sum()),
            faults.Count(f => f.Kind == FaultEvent.Kill), exitSeconds.Count, faults.Count(f => f.Kind == FaultEvent.KilledAfterTerminate), exitSeconds,
            faults.Count(f => f.Kind == FaultEvent.Unplanned), workerStartFailures, frames.Written, frames.Dropped,
            longest?.LongestStall.TotalSeconds ?? 0, longest is null ? null : $"run {longest.Index} ({longest.Plan.Pattern}) {longest.RunId}",
            lost.Count, wrong.Count, failedStarts.Count, duplicated.Count, executions.Executions,
            executions.Extra.Count, executions.Extra.Count(e => e.IsParent), executions.WhileUp, executions.Extra, faults, checks);
    }
}
