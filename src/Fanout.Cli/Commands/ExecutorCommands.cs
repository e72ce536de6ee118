using System.CommandLine;
using Fanout.Cli.Model;
using Fanout.Cli.Output;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout executors</c>: each executor's load, asked by the node (<c>GET /executors</c>).</summary>
internal static class ExecutorCommands
{
    public static Command Build(GlobalOptions options)
    {
        var executors = new Command("executors", "Each executor in the node's directory: slots, busy, waiting, and the runs it works for");
        options.OnGet<ExecutorsDto>(executors, _ => "executors", (_, view) =>
        {
            var table = new TextTable("NODE", "ROLES", "SLOTS", "BUSY", "WAITING", "MAX WAITING", "RUNS");
            foreach (var e in view.Executors)
                table.Add(e.Node + (e.Reachable == false ? " (unreachable)" : "") + (e.Draining == true ? " (draining)" : ""), $"[{string.Join(',', e.Roles ?? [])}]",
                    Number(e.Slots), Number(e.Busy), Number(e.Waiting), Number(e.MaxWaiting), Runs(e));
            table.Write(options.Context);
            options.Context.Output.WriteLine($"Count: {view.Executors.Count} executors");
            return CliExitCodes.Ok;
        });
        return executors;
    }

    private static string Number(int? value) => value?.ToString() ?? "-";

    private static string Runs(ExecutorDto executor)
    {
        if (executor.Error is not null) return $"error: {Format.OneLine(executor.Error)}";
        var runs = (executor.Runs ?? []).Select(r => $"{r.RunId} ({r.Busy} busy, {r.Waiting} waiting)").ToList();
        return runs.Count == 0 ? "-" : string.Join(", ", runs);
    }
}
