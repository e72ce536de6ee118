using System.Text.Json;
using Fanout.Cli.Http;
using Fanout.Cli.Model;
using Fanout.Cli.Output;
using Spectre.Console;

namespace Fanout.Cli.Watching;

/// <summary>
/// Follows a run until it ends by polling <c>GET /runs/{id}</c>: live bars per group on a terminal, a line per
/// change otherwise, then the outcome. Its exit code is the run's: 0 when it succeeded, 1 when it failed or
/// was cancelled.
/// </summary>
internal sealed class RunWatcher(NodeClient node, CliContext context)
{
    public async Task<int> WatchAsync(string runId, bool json, CancellationToken ct)
    {
        var path = $"runs/{Uri.EscapeDataString(runId)}";
        RunSummaryDto final;
        if (json)
        {
            using var last = await PollUntilEndedAsync(path, _ => { }, ct).ConfigureAwait(false);
            context.Output.WriteLine(CliJson.Indent(last.RootElement));
            return ExitCodeOf(last.RootElement.Deserialize<RunSummaryDto>(CliJson.Compact)!);
        }
        var progress = new RunProgress(TimeProvider.System);
        // A terminal without ANSI (TERM=dumb) cannot redraw bars in place: it gets the lines a pipe gets.
        if (context.CanRedraw)
            final = await WatchLiveAsync(path, progress, ct).ConfigureAwait(false);
        else
        {
            string? lastState = null;
            using var last = await PollUntilEndedAsync(path, summary =>
            {
                progress.Observe(summary);
                // A line per change of status or counts (rate and ETA alone do not count): a quiet run prints nothing until it moves.
                var state = $"{summary.Status} {summary.TotalActions} {Format.Counts(summary.Counts)} {summary.WaitingFor}";
                if (state != lastState) context.Output.WriteLine(ProgressLine(summary, progress));
                lastState = state;
            }, ct).ConfigureAwait(false);
            final = last.RootElement.Deserialize<RunSummaryDto>(CliJson.Compact)!;
        }
        WriteOutcome(final);
        return ExitCodeOf(final);
    }

    public static int ExitCodeOf(RunSummaryDto summary) =>
        summary.Status == RunStatuses.Succeeded ? CliExitCodes.Ok : CliExitCodes.Failed;

    /// <summary>
    /// How long a watch rides out a node that stops answering, or answers 503 (a run moving to another node, a
    /// journal briefly down), once it has seen the run: long enough for a run to move after its node is lost.
    /// </summary>
    internal static readonly TimeSpan TransientOutage = TimeSpan.FromSeconds(30);

    private async Task<JsonDocument> PollUntilEndedAsync(string path, Action<RunSummaryDto> onSummary, CancellationToken ct)
    {
        DateTimeOffset? failingSince = null;
        var seen = false;
        while (true)
        {
            JsonDocument answer;
            try
            {
                answer = await node.GetAsync(path, ct).ConfigureAwait(false);
                failingSince = null;
            }
            catch (NodeException e) when (seen && e.StatusCode is null or 503
                                          && DateTimeOffset.UtcNow - (failingSince ??= DateTimeOffset.UtcNow) < TransientOutage)
            {
                await Task.Delay(context.PollInterval, ct).ConfigureAwait(false);
                continue;
            }
            seen = true;
            var summary = answer.RootElement.Deserialize<RunSummaryDto>(CliJson.Compact)!;
            onSummary(summary);
            if (RunStatuses.HasEnded(summary.Status)) return answer;
            answer.Dispose();
            await Task.Delay(context.PollInterval, ct).ConfigureAwait(false);
        }
    }

    private async Task<RunSummaryDto> WatchLiveAsync(string path, RunProgress progress, CancellationToken ct)
    {
        RunSummaryDto? final = null;
        await context.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async live =>
            {
                var overall = live.AddTask("all actions");
                var groups = new Dictionary<string, ProgressTask>();
                ProgressTask? moreGroups = null;
                using var last = await PollUntilEndedAsync(path, summary =>
                {
                    progress.Observe(summary);
                    Show(overall, progress.Total, progress.Done, $"[bold]{Markup.Escape(ProgressLine(summary, progress))}[/]");
                    foreach (var group in (summary.Groups ?? []).Take(MaxGroupBars))
                    {
                        if (!groups.TryGetValue(group.Group, out var task))
                            groups[group.Group] = task = live.AddTask(Markup.Escape(GroupName(group.Group)));
                        var done = RunProgress.DoneOf(group.Counts);
                        Show(task, group.Total, done, Markup.Escape($"  {GroupName(group.Group)}  {done}/{group.Total}  {Format.Counts(group.Counts)}"));
                    }
                    var more = Math.Max(0, (summary.Groups?.Count ?? 0) - MaxGroupBars) + summary.GroupsNotListed;
                    if (more > 0)
                    {
                        moreGroups ??= live.AddTask("more groups");
                        Show(moreGroups, 1, 0, Markup.Escape($"  ... and {more:N0} more groups (fanout runs actions {summary.RunId} --group <group>)"));
                    }
                }, ct).ConfigureAwait(false);
                final = last.RootElement.Deserialize<RunSummaryDto>(CliJson.Compact)!;
            }).ConfigureAwait(false);
        return final!;
    }

    /// <summary>Groups drawn as bars, at most: a run with a group per item would fill the terminal.</summary>
    private const int MaxGroupBars = 20;

    private static void Show(ProgressTask task, int total, int done, string description)
    {
        task.MaxValue = Math.Max(total, 1);
        task.Value = done;
        task.Description = description;
    }

    /// <summary>"running: 23/50 actions done (succeeded 20, running 3), 2.1/s, ETA 13.0 s".</summary>
    internal static string ProgressLine(RunSummaryDto summary, RunProgress progress)
    {
        var line = $"{summary.Status}: {progress.Done}/{progress.Total} actions done ({Format.Counts(summary.Counts)})";
        if (progress.Rate is { } rate) line += $", {Format.Rate(rate)}";
        if (progress.Eta is { } eta && !RunStatuses.HasEnded(summary.Status)) line += $", ETA {Format.Duration(eta)}";
        if (summary.WaitingFor is { } waiting) line += $"; waiting for {waiting}";
        return line;
    }

    private void WriteOutcome(RunSummaryDto run)
    {
        var took = run.FinishedAt is { } end ? $" after {Format.Duration(end - run.StartedAt)}" : "";
        context.Output.WriteLine($"run {run.RunId} {run.Status}{took}: {run.TotalActions} actions ({Format.Counts(run.Counts)})");
        if (run.Error is not null) context.Output.WriteLine($"error: {Format.Error(run.Error)}");
    }

    internal static string GroupName(string group) => group.Length == 0 ? "(no group)" : group;
}
