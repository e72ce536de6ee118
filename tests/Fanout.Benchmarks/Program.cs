using Fanout.Benchmarks;
using Fanout.Benchmarks.Processes;
using Fanout.Benchmarks.Reporting;
using Fanout.Benchmarks.Scenarios;

using Fanout.Benchmarks.Dashboard;

// The run pages' figures are a program of their own (--dashboard); everything else below is unchanged by it.
if (args.Contains("--dashboard"))
{
    using var dashboardStop = new CancellationTokenSource();
    using var dashboardSignals = StopSignals.Register(dashboardStop);
    return await DashboardFigures.RunAsync(args, dashboardStop.Token);
}

// Macro benchmarks of whole runs: for each N, every chosen scenario in turn, in this one process.
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

// The first Ctrl-C (or SIGTERM, as a CI time-out sends) stops the measurement cleanly: the current
// runtime shuts down, the temp journals are removed and what was measured so far is still printed
// and written. A second one ends the process at once, killing the cluster's processes first (a
// PostgreSQL scenario's database is then left behind).
using var stop = new CancellationTokenSource();
using var signals = StopSignals.Register(stop);

Console.WriteLine($"Fanout benchmarks: N = {string.Join(", ", settings.Sizes.Select(n => n.ToString("N0")))}; " +
                  $"{Environment.ProcessorCount} cores; each scenario on a fresh runtime with a {WarmUp.Actions:N0}-action warm-up run first; " +
                  "JIT tiering off (fully optimized code from the start).");
foreach (var scenario in settings.Scenarios)
    Console.WriteLine($"  {scenario.Name,-18} {scenario.Description}");
Console.WriteLine();

// Every scenario in this process (the in-process runtimes; not the cluster scenarios' node processes) is heard.
using var listener = settings.Listen ? new Fanout.Benchmarks.Measurement.DiagnosticsListener() : null;
if (listener is not null) Console.WriteLine("--listen: Fanout's spans and metrics are listened to while measuring\n");

var results = new List<ScenarioResult>();
var exitCode = 0;
using (var temp = new TempFolder())
{
    try
    {
        foreach (var n in settings.Sizes)
        {
            foreach (var scenario in settings.Scenarios)
            {
                Console.Write($"{scenario.Name} N={n:N0} ... ");
                // This process's CPU time over the whole scenario (runtime start, warm-up and reopen included): on a
                // loaded machine it moves less than wall time, which makes it the better figure for --listen's cost.
                var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var result = await scenario.RunAsync(n, temp, stop.Token);
                var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                results.Add(result);
                Console.WriteLine($"{result.WallSeconds:F2} s, {result.ActionsPerSecond:N0}/s, process CPU {cpu.TotalSeconds:F1} s");
            }
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        Console.WriteLine();
        Console.Error.WriteLine("cancelled: the figures below are those measured before the signal");
        exitCode = 130;
    }
    catch (Exception e)
    {
        Console.WriteLine();
        Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
        exitCode = 1;
    }
}

if (results.Count > 0)
{
    Console.WriteLine();
    ResultTable.Print(Console.Out, results);
    DeliveryComparison.Print(Console.Out, results);
    if (listener is not null) Console.WriteLine(listener.Describe());
}
// A run that failed is a finding, not a figure: the table shows it, and the exit code says it.
if (results.Where(r => r.FailedRuns > 0).Select(r => r.Scenario).Distinct().ToList() is [_, ..] failing)
{
    Console.Error.WriteLine($"error: runs did not succeed in {string.Join(", ", failing)}; see the table's notes");
    if (exitCode == 0) exitCode = 1;
}
if (settings.JsonPath is { } jsonPath)
{
    await JsonReport.WriteAsync(jsonPath, results, complete: exitCode == 0);
    Console.WriteLine($"\nJSON written to {jsonPath}");
}
return exitCode;
