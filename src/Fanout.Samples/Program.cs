using System.Diagnostics;
using Fanout;
using Fanout.Samples;
using Microsoft.Extensions.Logging;

// The Flyte fan-out guide's patterns, one command each, on an embedded one-node Fanout runtime.
Sample[] samples =
[
    new("basic", "main(r = 50) calls my_task(x) for each i and awaits all with Task.WhenAll", BasicFanout.RunAsync),
    new("parallel", "collect the calls first, then Gather them", ParallelFanout.RunAsync),
    new("sequential", "await each call in a loop: one action at a time, in order", SequentialFanout.RunAsync),
    new("mixed", "a parallel phase, then a sequential phase fed by its results", MixedFanout.RunAsync),
    new("multi-phase", "preprocess -> process -> postprocess, each a gather feeding the next", MultiPhaseFanout.RunAsync),
    new("batched", "1,000 items in explicit batches of 100, gathered in turn", BatchedFanout.RunAsync),
    new("errors", "every 7th call fails on purpose; Gather(..., returnExceptions: true) keeps them all", ErrorHandling.RunAsync),
    new("large", "main(r = 10,000): the basic fan-out at scale, with its rate in actions/s", LargeFanout.RunAsync),
    new("chunked", "Map 10,000 items with at most 500 in flight; then MapStream them", ChunkedFanout.RunAsync),
    new("groups", "nested Group(...) scopes, and the run summary's counts per group", GroupedFanout.RunAsync),
    new("nested", "a child task that fans out itself", NestedFanout.RunAsync),
    new("options", "retries with exponential backoff, a timeout, a per-call override", TaskOptionsSample.RunAsync),
    new("cancel", "cancel a running run: every in-flight action's token fires", CancellationSample.RunAsync),
    new("idempotent", "a charge keyed by its action id happens once though its body runs twice; a run id started twice is one run", IdempotentCharges.RunAsync),
    new("inline", "call tasks outside any run, as a unit test does: plain function calls", InlineCalls.RunAsync),
];

var requested = new List<Sample>();
var verbose = false;
var serve = false;
var databasePath = Path.Combine("fanout-data", "samples.db");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "-h" or "--help" or "help":
            PrintHelp(Console.Out);
            return 0;
        case "-v" or "--verbose":
            verbose = true;
            break;
        case "--serve":
            serve = true;
            break;
        case "--db" when i + 1 < args.Length && !args[i + 1].StartsWith('-'):
            databasePath = args[++i];
            break;
        case "--db":
            return UsageError("--db needs a path, e.g. --db /tmp/samples.db");
        case "all":
            requested.AddRange(samples);
            break;
        case var name when samples.FirstOrDefault(s => s.Name == name) is { } sample:
            requested.Add(sample);
            break;
        case var other when other.StartsWith('-'):
            return UsageError($"unknown option '{other}'");
        case var other:
            return UsageError($"unknown command '{other}'");
    }
}
if (requested.Count == 0) requested.Add(samples[0]);

// Quiet by default: only warnings and errors, from Fanout and from Akka.NET alike.
var logLevel = verbose ? LogLevel.Information : LogLevel.Warning;
using var loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(logLevel)
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss.fff ";
    }));

var total = Stopwatch.StartNew();
await using var fanout = await FanoutRuntime.StartEmbeddedAsync(new FanoutRuntimeOptions
{
    DatabasePath = databasePath,
    LoggerFactory = loggerFactory,
    AkkaLogLevel = logLevel,
    // Registers every task of this program at start, so a run left unfinished by an earlier process resumes.
    TaskAssemblies = { typeof(Sample).Assembly },
});
Console.WriteLine($"Fanout runtime up in {total.Elapsed.TotalSeconds:F1} s; journal {Path.GetFullPath(databasePath)}; HTTP API {fanout.BaseUrl}");

foreach (var sample in requested)
{
    Console.WriteLine();
    Console.WriteLine($"== {sample.Name}: {sample.Description}");
    var watch = Stopwatch.StartNew();
    try
    {
        await sample.RunAsync(fanout);
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"error: sample '{sample.Name}' failed unexpectedly: {e.GetType().Name}: {e.Message}");
        if (e is ActionFailedException { RemoteStackTrace: { } remoteStack })
            Console.Error.WriteLine(remoteStack);
        return 1;
    }
    Show.Line("took", $"{watch.Elapsed.TotalSeconds:F2} s");
}

Console.WriteLine();
Console.WriteLine($"{requested.Count} sample(s) ran in {total.Elapsed.TotalSeconds:F1} s.");
if (!serve)
{
    Console.WriteLine("The run pages close with this program; rerun with --serve to keep them open, or browse this journal later with " +
                      $"`fanout ui --db {Path.GetFullPath(databasePath)}`.");
    return 0;
}

// --serve: the runtime (and its pages) stays up until Ctrl+C or SIGTERM, then stops as it would have.
Console.WriteLine();
foreach (var url in Show.RunUrls) Show.Line("run", url.ToString());
Console.WriteLine($"Serving the run pages at {fanout.BaseUrl}ui/runs until Ctrl+C");
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;
return 0;

void PrintHelp(TextWriter output)
{
    output.WriteLine("""
        Fanout samples: the Flyte fan-out guide's patterns, run on an embedded one-node Fanout runtime.

        usage: dotnet run --project src/Fanout.Samples -- [command...] [--verbose] [--db PATH] [--serve]

        commands (default: basic):
        """);
    foreach (var sample in samples)
        output.WriteLine($"  {sample.Name,-12} {sample.Description}");
    output.WriteLine($"""
          {"all",-12} every command above, in turn

        options:
          --db PATH     the journal's SQLite file (default fanout-data/samples.db under the working directory)
          --verbose     log Fanout and Akka.NET at Information level (default: warnings only)
          --serve       keep the runtime and its run pages up after the samples end, until Ctrl+C
          --help        this text
        """);
}

int UsageError(string problem)
{
    Console.Error.WriteLine($"error: {problem}");
    Console.Error.WriteLine();
    PrintHelp(Console.Error);
    return 2;
}
