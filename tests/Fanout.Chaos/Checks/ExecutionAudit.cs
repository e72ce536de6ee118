using Fanout.Chaos.Cluster;
using Fanout.Chaos.Runs;
using Fanout.Chaos.Tasks;

namespace Fanout.Chaos.Checks;

/// <summary>
/// Compares the execution log with the runs' plans: which bodies ran more often than planned (allowed,
/// execution being at-least-once, but each is explained: was the process that ran the earlier execution
/// gone before the next one started?), and which of a correctly finished run's bodies the log is missing
/// (which would make the log, and so this count, untrustworthy).
/// </summary>
internal static class ExecutionAudit
{
    private static readonly HashSet<string> ParentTasks = ["fan_out", "nested", "map", "retries", "errors", "groups"];

    public static ExecutionFindings Compare(IReadOnlyList<RunRecord> runs, string logFolder, IReadOnlyList<ProcessLife> lives)
    {
        var log = ExecutionLog.Read(logFolder);
        var livesByPid = lives.GroupBy(l => l.ProcessId).ToDictionary(g => g.Key, g => g.Last());
        var findings = new ExecutionFindings { Executions = log.Values.Sum(l => l.Count) };
        var planned = new HashSet<(string, string)>();
        foreach (var run in runs.Where(r => r.RunId is not null))
        {
            var rightResult = run.Finished && run.Problem is null;
            foreach (var (body, times) in run.Plan.Bodies)
            {
                planned.Add(body);
                var executions = log.GetValueOrDefault(body) ?? [];
                if (executions.Count < times && rightResult)
                    findings.Missing.Add($"run {run.Index} {run.RunId}: {body.Task} {body.Key} ran {executions.Count} time(s) by the log, planned {times}");
                if (executions.Count <= times) continue;
                var extra = new ExtraExecution(run.Index, run.RunId!, body.Task, body.Key, times, executions.Count, ParentTasks.Contains(body.Task),
                    Explain(executions.OrderBy(e => e.At).ToList(), times, livesByPid));
                findings.Extra.Add(extra);
            }
        }
        findings.Unplanned = log.Keys.Count(body => !planned.Contains(body));
        return findings;
    }

    // For each execution beyond the planned ones (a flaky body's planned retries come first), why it may
    // have happened: the process of the execution before it had gone.
    private static string Explain(List<Execution> executions, int planned, Dictionary<int, ProcessLife> lives)
    {
        var reasons = new List<string>();
        for (var i = planned; i < executions.Count; i++)
        {
            var before = executions[i - 1];
            var life = lives.GetValueOrDefault(before.ProcessId);
            var where = life?.Name ?? $"pid {before.ProcessId}";
            reasons.Add(life?.ExitedAt is { } exited && exited <= executions[i].At
                ? $"#{i + 1} {executions[i].At:HH:mm:ss.fff} after {where} ended ({life.EndedBy}) at {exited:HH:mm:ss.fff}"
                : $"#{i + 1} {executions[i].At:HH:mm:ss.fff} on {lives.GetValueOrDefault(executions[i].ProcessId)?.Name ?? "?"} while {where}, which ran #{i} at {before.At:HH:mm:ss.fff}, was up");
        }
        return string.Join("; ", reasons);
    }
}

/// <summary>What the execution log shows.</summary>
internal sealed class ExecutionFindings
{
    public int Executions { get; init; }
    public List<ExtraExecution> Extra { get; } = [];
    public List<string> Missing { get; } = [];
    public int Unplanned { get; set; }

    /// <summary>Extra executions whose earlier execution's process was still up: not explained by a lost node.</summary>
    public int WhileUp => Extra.Count(e => e.Explanation.Contains("was up", StringComparison.Ordinal));
}

/// <summary>A body that ran more often than planned, and why each further execution may have happened.</summary>
internal sealed record ExtraExecution(int Run, string RunId, string Task, string Key, int Planned, int Ran, bool IsParent, string Explanation);
