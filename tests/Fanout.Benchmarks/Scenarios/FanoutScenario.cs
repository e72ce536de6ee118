using Fanout.Benchmarks.Measurement;
using Fanout.Benchmarks.Postgres;
using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// A Fanout run whose parent fans out N no-op child actions, on a fresh embedded runtime: timed from
/// <c>RunAsync</c> to the root's result, after an untimed warm-up run in the same runtime.
/// </summary>
internal sealed class FanoutScenario(string name, string description, JournalKind journal, TaskDefinition<int, long> parent)
    : IScenario
{
    public static readonly FanoutScenario Sqlite = new("fanout-sqlite",
        "parent awaits N child actions with Task.WhenAll; SQLite journal (a fresh file per run)",
        JournalKind.Sqlite, BenchTasks.WhenAllFanout);

    public static readonly FanoutScenario Memory = new("fanout-memory",
        "the same on Akka.Persistence's in-memory journal and snapshot store",
        JournalKind.Memory, BenchTasks.WhenAllFanout);

    public static readonly FanoutScenario Map = new("fanout-map",
        $"parent maps the child over N items, at most {BenchTasks.MapConcurrency:N0} in flight (Workflow.Map's pipeline); SQLite",
        JournalKind.Sqlite, BenchTasks.MapFanout);

    public static readonly FanoutScenario Postgres = new("fanout-postgres",
        $"the WhenAll fan-out on a PostgreSQL journal ({BenchPostgres.Variable}, a fresh database per run); one node, in process",
        JournalKind.PostgreSql, BenchTasks.WhenAllFanout);

    public string Name => name;

    public string Description => description;

    public bool NeedsPostgres => journal == JournalKind.PostgreSql;

    public async Task<ScenarioResult> RunAsync(int n, TempFolder temp, CancellationToken cancellationToken)
    {
        // Declared first, so disposed last: the runtimes on it stop before it is dropped.
        await using var database = NeedsPostgres ? await BenchDatabase.CreateAsync(name, n, cancellationToken) : null;
        var location = database?.ConnectionString ?? temp.NewDatabasePath(name, n);
        await using var runtime = await BenchRuntime.StartAsync(journal, location, cancellationToken);
        await RunOnceAsync(runtime.Fanout, WarmUp.Actions, new LatencyRecorder(WarmUp.Actions), cancellationToken);

        var before = runtime.ReadJournal();
        var tablesBefore = NeedsPostgres ? PostgresJournalStats.TableBytes(location) : 0;
        var latency = new LatencyRecorder(n);
        var runId = "";
        var timing = await TimedSection.RunAsync(async () => runId = await RunOnceAsync(runtime.Fanout, n, latency, cancellationToken));
        // Read once the runtime has stopped, so the run's last writes are in the file.
        await runtime.StopAsync();
        var written = runtime.ReadJournal() - before;
        var tablesGrowth = NeedsPostgres ? PostgresJournalStats.TableBytes(location) - tablesBefore : 0;
        var reopen = journal != JournalKind.Memory ? await ReopenAsync(location, runId, n, cancellationToken) : (double?)null;

        if (journal == JournalKind.Memory && written != JournalSize.Empty)
            throw new InvalidOperationException($"the in-memory runtime wrote {written.Rows} row(s) to the SQLite journal");
        var note = name == Map.Name
            ? "latency: item pulled by the map to its result reaching the parent, in input order"
            : "latency: InvokeAsync to the call's task completing in the parent";
        if (NeedsPostgres) note += $"; the journal's tables grew by {(double)tablesGrowth / n:F0} B/action on disk (pg_total_relation_size)";
        return ScenarioResult.From(name, n, timing, latency, journal != JournalKind.Memory ? written : null, reopen, note);
    }

    private async Task<string> RunOnceAsync(FanoutRuntime fanout, int n, LatencyRecorder latency, CancellationToken cancellationToken)
    {
        BenchTasks.Latency = latency;
        var run = await fanout.RunAsync(parent, n, cancellationToken);
        var sum = await run.WaitAsync(cancellationToken);
        if (sum != BenchTasks.ExpectedSum(n))
            throw new InvalidOperationException($"{name} run {run.Id} over {n} children returned {sum}, not {BenchTasks.ExpectedSum(n)}");
        return run.Id;
    }

    /// <summary>
    /// Seconds from starting a new runtime on the run's journal to its answer about the run: the runtime's
    /// start plus the run's recovery from its latest snapshot and the entries after it. An upper bound
    /// on recovery alone, since remember-entities may begin recovering the run while the runtime starts.
    /// </summary>
    private async Task<double> ReopenAsync(string location, string runId, int n, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var reopened = await BenchRuntime.StartAsync(journal, location, cancellationToken, keepFile: true);
        var summary = await reopened.Fanout.GetRun<long>(runId).GetSummaryAsync(cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        if (summary.Status != RunStatus.Succeeded || summary.TotalActions != n + 1)
            throw new InvalidOperationException($"run {runId} reopened as {summary.Status} with {summary.TotalActions} action(s), not {n + 1}");
        return seconds;
    }
}
