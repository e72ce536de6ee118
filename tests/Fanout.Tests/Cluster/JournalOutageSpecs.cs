using System.Diagnostics;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// The journal's database goes away in the middle of a run on a two-worker cluster, and comes back: the run
/// completes with every outcome recorded once, and callers who ask meanwhile get an answer or a clear error.
/// PostgreSQL is stopped the hard way (<c>pg_ctl stop -m immediate</c>) for 20 s, and once for 90 s, which
/// outlasts the journal's circuit breaker, every ask's timeout and a parent's acknowledgement timeout.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JournalOutageSpecs(ITestOutputHelper output)
{
    // About 5,000 actions: a root, 50 parents, 99 leaves each. 50 slots per worker keep the run going for a while.
    private static readonly Tree Run = new(Parents: 50, LeavesEach: 99, LeafMs: 300);
    private const int LeavesBeforeOutage = 1_000;
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(4);

    /// <summary>How long a caller may wait before it must have an answer or an error: the client's bound and some.</summary>
    private static readonly TimeSpan CallerBound = TimeSpan.FromSeconds(120);

    [Fact]
    public Task A_run_survives_a_20_s_database_outage_with_every_outcome_once_and_no_caller_hangs() =>
        OutageMidRunAsync(TimeSpan.FromSeconds(20));

    [Fact]
    public Task A_run_survives_a_90_s_database_outage_with_every_outcome_once_and_no_caller_hangs() =>
        OutageMidRunAsync(TimeSpan.FromSeconds(90));

    private async Task OutageMidRunAsync(TimeSpan outage)
    {
        await using var server = await OwnPostgresServer.StartNewAsync();
        await using var cluster = await LoopbackCluster.StartAsync(server.ConnectionString, output);
        var slots = new Dictionary<string, string> { ["FANOUT_ACTION_SLOTS"] = "50" };
        await Task.WhenAll(cluster.StartWorkerAsync("worker-1", slots), cluster.StartWorkerAsync("worker-2", slots));
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);

        var clock = Stopwatch.StartNew();
        var run = await client.RunAsync(OutageTasks.Root, Run);
        await PollAsync(() => Ended(cluster.Trace()).Count >= LeavesBeforeOutage, $"{LeavesBeforeOutage} leaves to end before the outage");

        var durableBeforeStop = (await run.GetSummaryAsync()).Counts.GetValueOrDefault(ActionStatus.Succeeded);
        var stoppedAtMs = NowMs();
        await server.StopAsync();
        var endedBeforeStop = Ended(cluster.Trace());
        // Callers meanwhile: a query of the run and the start of another. Each gets an answer or a clear error in time.
        var query = AnswerOrClearErrorAsync("a query of the run", run.Id, async () => $"{(await run.GetSummaryAsync()).TotalActions} action(s)");
        var start = AnswerOrClearErrorAsync("the start of another run", null, async () => (await client.RunAsync(OutageTasks.Root, new Tree(1, 1, 0))).Id);
        await Task.Delay(outage); // the outage itself, not a wait for something
        await server.StartAsync();
        var restarted = Stopwatch.StartNew();

        // Resumed: the run journals an outcome it did not have before the outage.
        await Eventually.Value(() => run.GetSummaryAsync(), s => s.Counts.GetValueOrDefault(ActionStatus.Succeeded) > durableBeforeStop,
            Within, "the run to journal new outcomes after the database came back");
        var resumedAfter = restarted.Elapsed;
        var result = await run.WaitAsync(Within, "the run through the database outage to end");
        output.WriteLine($"run done {clock.Elapsed.TotalSeconds:F1} s after it started");
        Assert.Equal(Run.ExpectedSum(), result);

        // Every action's outcome is recorded once: as many actions as calls, all succeeded.
        var summary = await run.GetSummaryAsync();
        Assert.Equal(Run.Actions(), summary.TotalActions);
        if (summary.Counts.GetValueOrDefault(ActionStatus.Succeeded) != Run.Actions())
        {
            var others = new List<ActionInfo>();
            foreach (var status in summary.Counts.Keys.Where(s => s != ActionStatus.Succeeded))
                others.AddRange((await run.GetActionsAsync(new ActionQuery(status, Limit: 10))).Actions);
            Assert.Fail($"{Run.Actions()} actions should have succeeded; the run's counts: " +
                        $"{string.Join(", ", summary.Counts.Select(c => $"{c.Key} {c.Value}"))}; some that did not: " +
                        string.Join("; ", others.Select(a => $"{a.ActionId} {a.Status} after {a.Attempts} attempt(s) {a.Error?.Message}")));
        }

        // Only attempts whose outcome may not have been durable ran again: none that ended well before the stop.
        var trace = cluster.Trace();
        var surelyDurable = endedBeforeStop.Where(leaf => leaf.Value < stoppedAtMs - 5_000).Select(leaf => leaf.Key).ToHashSet();
        var startedAgain = trace.Where(t => t.What == "start" && surelyDurable.Contains(t.Subject) && t.AtMs > stoppedAtMs).Select(t => t.Subject).Distinct().ToList();
        Assert.True(startedAgain.Count == 0, $"leaves journaled long before the outage ran again: {string.Join(", ", startedAgain.Take(10))}");
        var ranTwice = trace.Where(t => t.What == "start" && t.Subject.StartsWith("leaf-", StringComparison.Ordinal))
            .GroupBy(t => t.Subject).Count(g => g.Count() > 1);

        foreach (var caller in await Task.WhenAll(query, start)) output.WriteLine(caller);
        var line = $"[journal outage] PostgreSQL down {outage.TotalSeconds:F0} s mid-run ({Run.Actions()} actions): the run journaled " +
                   $"new outcomes {resumedAfter.TotalSeconds:F1} s after it came back; {ranTwice} leaf/leaves ran more than once; " +
                   $"run took {clock.Elapsed.TotalSeconds:F0} s";
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    /// <summary>
    /// Calls <paramref name="call"/> and returns what happened: its answer, or the <see cref="FanoutException"/> it
    /// threw, which must name the run when the run is known. Anything else (a bare ask timeout) fails the spec, and
    /// so does a caller still waiting after <see cref="CallerBound"/>.
    /// </summary>
    private static async Task<string> AnswerOrClearErrorAsync(string what, string? runId, Func<Task<string>> call)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var answer = await call().WaitAsync(CallerBound);
            return $"{what} during the outage: answered after {clock.Elapsed.TotalSeconds:F0} s ({answer})";
        }
        catch (FanoutException e)
        {
            if (runId is not null) Assert.Contains(runId, e.Message);
            return $"{what} during the outage: a clear error after {clock.Elapsed.TotalSeconds:F0} s: {e.Message}";
        }
        catch (TimeoutException) when (clock.Elapsed >= CallerBound)
        {
            throw new Xunit.Sdk.XunitException($"{what} during the outage still had no answer nor error after {CallerBound.TotalSeconds:F0} s");
        }
    }

    /// <summary>Leaves that ended, with when each first ended (unix ms).</summary>
    private static Dictionary<string, long> Ended(IReadOnlyList<TraceLine> trace) =>
        trace.Where(t => t.What == "end" && t.Subject.StartsWith("leaf-", StringComparison.Ordinal))
            .GroupBy(t => t.Subject).ToDictionary(g => g.Key, g => g.Min(t => t.AtMs));

    // The trace holds thousands of lines: read it twice a second, not at Eventually's pace.
    private static async Task PollAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {Within} waiting for: {what}");
            await Task.Delay(500);
        }
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
