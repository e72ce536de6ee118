using System.Text.Json;
using Fanout.Benchmarks.Processes;
using Fanout.Chaos;
using Fanout.Chaos.Reporting;

// The chaos harness: see README.md. Exit 0 when every check passes, 1 when one fails or the session
// could not run, 2 for bad arguments.
var settings = CommandLine.Parse(args, out var problem, out var help);
if (help)
{
    CommandLine.PrintHelp(Console.Out);
    return 0;
}
if (settings is null)
{
    Console.Error.WriteLine($"error: {problem}");
    Console.Error.WriteLine("run with --help for the options");
    return 2;
}

// The first Ctrl-C (or SIGTERM) ends the session cleanly: processes stopped, database dropped. A second
// one kills the processes at once and ends. No path leaves a worker or the lighthouse running: the
// process-exit hook kills whatever is left, after an unhandled exception too.
using var interrupt = new CancellationTokenSource();
using var signals = StopSignals.Register(interrupt);
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
AppDomain.CurrentDomain.UnhandledException += (_, _) => ChildProcess.KillAll();

var logs = settings.LogsPath ?? Directory.CreateTempSubdirectory("fanout-chaos-").FullName;
Directory.CreateDirectory(logs);
Console.WriteLine($"Fanout chaos harness: {settings.Minutes} min, drop {settings.Drop}, seed {settings.Seed}; logs in {logs}");
ChaosReport report;
using (var timeline = new Timeline(Path.Combine(logs, "timeline.log"), settings.Verbose))
{
    try
    {
        report = await new ChaosSession(settings, logs, timeline).RunAsync(interrupt.Token);
    }
    catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
    {
        Console.Error.WriteLine($"interrupted: no checks were made; the processes' output is in {logs}");
        return 1;
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"error: the session could not run: {e.GetType().Name}: {e.Message}");
        Console.Error.WriteLine($"the processes' output is in {logs}");
        return 1;
    }
}

Console.WriteLine();
ReportTable.Print(Console.Out, report);
if (settings.JsonPath is { } json)
{
    await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"JSON written to {json}");
}
if (report.Passed && settings.LogsPath is null)
    Directory.Delete(logs, recursive: true);
else
    Console.WriteLine($"logs (processes' output, execution log, timeline) kept in {logs}");
return report.Passed ? 0 : 1;
