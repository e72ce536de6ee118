using System.Globalization;
using Fanout.Benchmarks.Measurement;
using Fanout.Benchmarks.Postgres;
using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// Many small runs at once instead of one large one: N / 10 runs of a parent with 10 no-op children,
/// all started together on a fresh embedded runtime, timed from the first <c>RunAsync</c> until every
/// run has ended. N counts the children, as in the other scenarios, so the rates compare at the same N.
/// A run that does not succeed is counted and reported, never retried or hidden, and the wait is bounded
/// by a deadline, so a run that never finishes shows up as unfinished rather than as a benchmark that hangs.
/// </summary>
internal sealed class ManyRunsScenario(string name, string description, JournalKind journal) : IScenario
{
    public const int ChildrenPerRun = 10;

    public static readonly ManyRunsScenario Sqlite = new("many-runs",
        $"N/{ChildrenPerRun} runs of a parent with {ChildrenPerRun} no-op children, all started at once; SQLite journal",
        JournalKind.Sqlite);

    public static readonly ManyRunsScenario Postgres = new("many-runs-postgres",
        $"N/{ChildrenPerRun} runs of a parent with {ChildrenPerRun} no-op children, all started at once; PostgreSQL journal ({BenchPostgres.Variable}, a fresh database per run)",
        JournalKind.PostgreSql);

    private static readonly TimeSpan SummaryTimeout = TimeSpan.FromSeconds(10);

    public string Name => name;

    public string Description => description;

    public bool NeedsPostgres => journal == JournalKind.PostgreSql;

    public string? SizeProblem(int n) => n % ChildrenPerRun == 0
        ? null
        : $"{name} starts N/{ChildrenPerRun} runs of {ChildrenPerRun} children each: {n.ToString("N0", CultureInfo.InvariantCulture)} is not a multiple of {ChildrenPerRun}";

    /// <summary>
    /// How long the runs get before those still going count as unfinished: a minute, plus 25 ms a run
    /// (40 runs/s, a third of the slowest rate measured before this scenario existed), so a slow run
    /// is still measured and only a stuck one hits it.
    /// </summary>
    public static TimeSpan Deadline(int runs) => TimeSpan.FromSeconds(60) + runs * TimeSpan.FromMilliseconds(25);

    public async Task<ScenarioResult> RunAsync(int n, TempFolder temp, CancellationToken cancellationToken)
    {
        // Declared first, so disposed last: the runtime on it stops before it is dropped.
        await using var database = NeedsPostgres ? await BenchDatabase.CreateAsync(name, n, cancellationToken) : null;
        var location = database?.ConnectionString ?? temp.NewDatabasePath(name, n);
        var log = new WarningCollector();
        await using var runtime = await BenchRuntime.StartAsync(journal, location, cancellationToken, loggerFactory: log);

        // The warm-up has the timed run's shape, at WarmUp.Actions children; it must not fail.
        var warmUpRuns = WarmUp.Actions / ChildrenPerRun;
        var warmUp = await StartAllAsync(runtime.Fanout, warmUpRuns, new LatencyRecorder(warmUpRuns), cancellationToken);
        if (warmUp.NotSucceeded > 0)
            throw new InvalidOperationException($"{name}'s warm-up: {warmUp.Describe(Deadline(warmUpRuns))}; {log.Describe()}");
        log.Reset();

        var before = runtime.ReadJournal();
        var runsBefore = runtime.CountRuns();
        var tablesBefore = NeedsPostgres ? PostgresJournalStats.TableBytes(location) : 0;
        var runs = n / ChildrenPerRun;
        var latency = new LatencyRecorder(runs);
        RunOutcomes? outcomes = null;
        var timing = await TimedSection.RunAsync(async () => outcomes = await StartAllAsync(runtime.Fanout, runs, latency, cancellationToken));
        var unfinished = outcomes!.FirstUnfinishedRunId is { } runId ? await DescribeRunAsync(runtime.Fanout, runId, cancellationToken) : null;
        var logged = log.Describe();
        // Read once the runtime has stopped, so the runs' last writes are in the journal.
        await runtime.StopAsync();
        var written = runtime.ReadJournal() - before;
        var runsJournaled = runtime.CountRuns() - runsBefore;
        var tablesGrowth = NeedsPostgres ? PostgresJournalStats.TableBytes(location) - tablesBefore : 0;

        var withParents = outcomes.Succeeded * (ChildrenPerRun + 1) / timing.Wall.TotalSeconds;
        var note = $"{runs:N0} runs of a parent ({BenchTasks.WhenAllUnrecorded.Name}) with {ChildrenPerRun} no-op children, all started at once; " +
                   $"actions/s counts the children of the runs that succeeded ({withParents:N0}/s with their parents); " +
                   $"latency: RunAsync to the run's result (or error, or the deadline) reaching the caller, per run; " +
                   $"{outcomes.Describe(Deadline(runs))}{(unfinished is null ? "" : $"; {unfinished}")}; " +
                   $"the journal holds {runsJournaled:N0} of the timed runs (one whose start was not confirmed may have started all the same); {logged}";
        if (NeedsPostgres) note += $"; the journal's tables grew by {(double)tablesGrowth / n:F0} B/action on disk (pg_total_relation_size)";
        return ScenarioResult.FromRuns(name, n, timing, latency, written, outcomes.Succeeded, outcomes.NotSucceeded, ChildrenPerRun, note);
    }

    /// <summary>Starts every run at once and waits until each has succeeded, failed, or outlived the deadline.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (Ctrl-C).</exception>
    private static async Task<RunOutcomes> StartAllAsync(FanoutRuntime fanout, int runs, LatencyRecorder latency, CancellationToken cancellationToken)
    {
        var outcomes = new RunOutcomes(runs);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline(runs));
        var all = new Task[runs];
        // Each call returns at its first await (the start's Ask), so the loop has every start in flight at once.
        for (var run = 0; run < runs; run++)
            all[run] = StartAndWaitAsync(fanout, run, latency, outcomes, deadline.Token, cancellationToken);
        await Task.WhenAll(all);
        cancellationToken.ThrowIfCancellationRequested();
        return outcomes;
    }

    private static async Task StartAndWaitAsync(
        FanoutRuntime fanout, int run, LatencyRecorder latency, RunOutcomes outcomes, CancellationToken deadline, CancellationToken stop)
    {
        latency.Started(run);
        RunHandle<long>? handle = null;
        try
        {
            handle = await fanout.RunAsync(BenchTasks.WhenAllUnrecorded, ChildrenPerRun, deadline);
            var sum = await handle.WaitAsync(deadline);
            if (sum == BenchTasks.ExpectedSum(ChildrenPerRun)) outcomes.RecordSucceeded();
            else outcomes.RecordFailed($"run {handle.Id} returned {sum}, not {BenchTasks.ExpectedSum(ChildrenPerRun)}");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C: nothing to count, the scenario ends with the signal.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            outcomes.RecordUnfinished(handle?.Id);
        }
        catch (Exception e) when (handle is null)
        {
            outcomes.RecordNotStarted(e);
        }
        catch (Exception e)
        {
            outcomes.RecordFailed(e);
        }
        finally
        {
            latency.Ended(run);
        }
    }

    /// <summary>What the first run still going at the deadline was doing, as its summary tells; bounded, since it may not answer.</summary>
    private static async Task<string> DescribeRunAsync(FanoutRuntime fanout, string runId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SummaryTimeout);
        try
        {
            var summary = await fanout.GetRun<long>(runId).GetSummaryAsync(timeout.Token);
            var counts = string.Join(", ", summary.Counts.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key}"));
            return $"first unfinished run {runId}: {summary.Status}, {summary.TotalActions} action(s) ({counts})" +
                   (summary.WaitingFor is { } waitingFor ? $", waiting for {waitingFor}" : "");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"first unfinished run {runId}: no summary within {SummaryTimeout.TotalSeconds:F0} s ({e.GetType().Name}: {e.Message})";
        }
    }
}
