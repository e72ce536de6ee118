using System.CommandLine;
using Fanout.Cli.Model;
using Fanout.Cli.Output;
using Fanout.Cli.Watching;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout runs list|show|actions|watch|cancel|purge</c>: the runs index and one run.</summary>
internal static class RunsCommands
{
    public static Command Build(GlobalOptions options)
    {
        var runs = new Command("runs", "List runs, look into one, follow it, cancel it");
        runs.Subcommands.Add(List(options));
        runs.Subcommands.Add(Show(options));
        runs.Subcommands.Add(Actions(options));
        runs.Subcommands.Add(Watch(options));
        runs.Subcommands.Add(Cancel(options));
        runs.Subcommands.Add(Purge(options));
        return runs;
    }

    private static Argument<string> RunId() => new("id") { Description = "The run's id" };

    private static string RunPath(string id, string rest = "") => $"runs/{Uri.EscapeDataString(id)}{rest}";

    private static Command List(GlobalOptions options)
    {
        var status = new Option<string?>("--status", "-s") { Description = "Only runs in this status" };
        status.AcceptOnlyFromAmong(RunStatuses.All);
        var task = new Option<string?>("--task", "-t") { Description = "Only runs of this task (full name)" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only runs started at or after this time (ISO-8601, e.g. 2026-11-29T12:00:00Z)", HelpName = "time" };
        var limit = new Option<int>("--limit", "-n") { Description = "The most runs to show (1 to 500)", DefaultValueFactory = _ => 50 };
        limit.Within(1, 500);
        var cursor = new Option<string?>("--cursor") { Description = "Continue after a previous page (its 'next page' line says the value)" };

        var list = new Command("list", "List runs, newest first (the node's runs index)") { status, task, since, limit, cursor };
        options.OnGet<RunListDto>(list, parsed => "runs" + Query(("status", parsed.GetValue(status)), ("task", parsed.GetValue(task)),
            ("since", parsed.GetValue(since)?.ToUniversalTime().ToString("O")), ("limit", parsed.GetValue(limit).ToString()),
            ("cursor", parsed.GetValue(cursor))), (_, page) =>
        {
            if (page.Runs.Count == 0)
            {
                options.Context.Output.WriteLine("no runs");
                return CliExitCodes.Ok;
            }
            var table = new TextTable("RUN", "TASK", "STATUS", "STARTED", "FINISHED", "ACTIONS", "ERROR");
            foreach (var run in page.Runs)
                table.Add(run.RunId, run.TaskName, run.Status, Format.Time(run.StartedAt), Format.Time(run.FinishedAt), run.TotalActions.ToString(), Format.Error(run.Error));
            table.Write(options.Context);
            if (page.NextCursor is { } next) options.Context.Output.WriteLine($"next page: --cursor {next}");
            return CliExitCodes.Ok;
        });
        return list;
    }

    private static Command Show(GlobalOptions options)
    {
        var id = RunId();
        var show = new Command("show", "A run's summary: status, times, counts by status, and its groups as a tree") { id };
        options.OnGet<RunSummaryDto>(show, parsed => RunPath(parsed.GetValue(id)!), (_, run) =>
        {
            var output = options.Context.Output;
            output.WriteLine($"run       {run.RunId}");
            output.WriteLine($"task      {run.TaskName}");
            output.WriteLine($"status    {run.Status}");
            output.WriteLine($"started   {Format.Time(run.StartedAt)}");
            output.WriteLine(run.FinishedAt is { } end ? $"finished  {Format.Time(end)} (after {Format.Duration(end - run.StartedAt)})" : "finished  -");
            output.WriteLine($"actions   {run.TotalActions}: {Format.Counts(run.Counts)}");
            if (run.Error is not null) output.WriteLine($"error     {Format.Error(run.Error)}");
            if (run.WaitingFor is not null) output.WriteLine($"waiting   {run.WaitingFor}");
            output.WriteLine("groups");
            foreach (var line in GroupTree.Lines(run.Groups ?? [])) output.WriteLine($"  {line}");
            if (run.GroupsNotListed > 0)
                output.WriteLine($"  ... and {run.GroupsNotListed:N0} more groups (fanout runs actions {run.RunId} --group <group> lists one)");
            return CliExitCodes.Ok;
        });
        return show;
    }

    private static Command Actions(GlobalOptions options)
    {
        var id = RunId();
        var status = new Option<string?>("--status", "-s") { Description = "Only actions in this status" };
        status.AcceptOnlyFromAmong(RunStatuses.ActionStatuses);
        var group = new Option<string?>("--group", "-g") { Description = "Only actions in this group or a group nested in it" };
        var task = new Option<string?>("--task", "-t") { Description = "Only actions of this task (its full name, exactly)" };
        var limit = new Option<int>("--limit", "-n") { Description = "The most actions to show (1 to 1000)", DefaultValueFactory = _ => 100 };
        limit.Within(1, 1000);
        var offset = new Option<int>("--offset") { Description = "How many matching actions to skip (the 'next page' line says the value)" };
        offset.Within(0, int.MaxValue);

        var actions = new Command("actions", "A page of a run's actions in start order, with the error of each failed one") { id, status, group, task, limit, offset };
        options.OnGet<ActionPageDto>(actions, parsed => RunPath(parsed.GetValue(id)!, "/actions") + Query(("status", parsed.GetValue(status)),
            ("group", parsed.GetValue(group)), ("task", parsed.GetValue(task)), ("offset", parsed.GetValue(offset).ToString()), ("limit", parsed.GetValue(limit).ToString())), (_, page) =>
        {
            if (page.Actions.Count == 0)
            {
                options.Context.Output.WriteLine($"no actions (of {page.Total} matching)");
                return CliExitCodes.Ok;
            }
            var table = new TextTable("ACTION", "TASK", "GROUP", "STATUS", "ATTEMPTS", "ERROR");
            foreach (var action in page.Actions)
                table.Add(action.ActionId, action.TaskName, action.Group.Length == 0 ? "-" : action.Group, action.Status, action.Attempts.ToString(), Format.Error(action.Error));
            table.Write(options.Context);
            var last = page.Offset + page.Actions.Count;
            options.Context.Output.WriteLine(last < page.Total
                ? $"actions {page.Offset + 1}-{last} of {page.Total}; next page: --offset {last}"
                : $"actions {page.Offset + 1}-{last} of {page.Total}");
            return CliExitCodes.Ok;
        });
        return actions;
    }

    private static Command Watch(GlobalOptions options)
    {
        var id = RunId();
        var watch = new Command("watch", "Follow a run until it ends: bars per group, counts, rate and ETA. Exit code 0 if it succeeded, 1 if it failed or was cancelled") { id };
        watch.SetAction((parsed, ct) => options.RunAsync(parsed, (node, json) =>
            new RunWatcher(node, options.Context).WatchAsync(parsed.GetValue(id)!, json, ct)));
        return watch;
    }

    private static Command Cancel(GlobalOptions options)
    {
        var id = RunId();
        var cancel = new Command("cancel", "Cancel a run: its unfinished actions are cancelled, running bodies get their token fired") { id };
        options.OnPost<CancelledRunDto>(cancel, parsed => RunPath(parsed.GetValue(id)!, "/cancel"), _ => null, (_, cancelled) =>
        {
            options.Context.Output.WriteLine(cancelled.Status == "cancelled"
                ? $"run {cancelled.RunId} cancelled"
                : $"run {cancelled.RunId} had already ended: {cancelled.Status}");
            return CliExitCodes.Ok;
        });
        return cancel;
    }

    private static Command Purge(GlobalOptions options)
    {
        var olderThan = new Option<string>("--older-than")
        {
            Description = "Purge finished runs that ended longer ago than this: 7d, 12h, 30m or a TimeSpan (7.00:00:00)",
            HelpName = "age",
            Required = true,
        };
        var purge = new Command("purge", "Delete finished runs older than an age: journal, snapshots and index entry (their ids then answer 'purged')") { olderThan };
        options.OnPost<PurgedRunsDto>(purge, _ => "runs/purge", parsed => new { olderThan = parsed.GetValue(olderThan) }, (_, purged) =>
        {
            options.Context.Output.WriteLine($"purged {purged.Purged} run(s)");
            foreach (var runId in purged.RunIds) options.Context.Output.WriteLine($"  {runId}");
            return CliExitCodes.Ok;
        });
        return purge;
    }

    /// <summary>"?a=1&amp;b=2" from the values that are set; "" when none is.</summary>
    internal static string Query(params (string Name, string? Value)[] parameters)
    {
        var set = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return set.Count == 0 ? "" : "?" + string.Join('&', set);
    }
}
