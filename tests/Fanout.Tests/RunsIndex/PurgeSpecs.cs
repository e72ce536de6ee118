using System.Net;
using Fanout.Tests.Support;
using static Fanout.Tests.RunsIndex.RunsIndexTasks;

namespace Fanout.Tests.RunsIndex;

/// <summary>
/// Purging finished runs older than an age deletes their journal rows and snapshots and leaves a tombstone (their
/// id answers 404 "purged"); a recent finished run, a running one and every other row stay as they were.
/// </summary>
public sealed class PurgeSpecs
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(FanoutJournal.Sqlite)]
    [InlineData(FanoutJournal.PostgreSql)]
    public async Task Purge_removes_the_old_finished_runs_rows_and_nothing_else(FanoutJournal kind)
    {
        await using var journal = await TestJournal.CreateAsync(kind);
        var options = journal.Options();
        options.SnapshotAfterEntries = 1; // so the runs have snapshots to purge too
        await using var fanout = await FanoutRuntime.StartEmbeddedAsync(options);
        using var http = new RunsIndexHttp(fanout.BaseUrl!);
        var rows = new JournalRows(options);

        var old = await fanout.RunAsync(FanOut, 20);
        await old.WaitAsync(RunDeadline, "the old run to end");
        var oldFinished = (await old.GetSummaryAsync()).FinishedAt!.Value;
        // The purge's cutoff falls a second after the old run's end, and the recent run ends a second after that:
        // the cutoff is computed from an age the node subtracts from its clock, so the margin takes up the delay.
        await Eventually.True(() => DateTimeOffset.UtcNow > oldFinished + TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10),
            "the clock to pass two seconds after the old run's end");
        var recent = await fanout.RunAsync(FanOut, 5);
        await recent.WaitAsync(RunDeadline, "the recent run to end");
        var recentFinished = (await recent.GetSummaryAsync()).FinishedAt!.Value;
        var key = $"held-{Guid.NewGuid():N}";
        var running = await fanout.RunAsync(Held, key);
        Assert.True(recentFinished > oldFinished, $"the recent run ended at {recentFinished:O}, not after the old one ({oldFinished:O})");
        // Both ends are in the index before the purge reads it.
        await Eventually.Value(async () => (await fanout.ListRunsAsync(new RunListQuery { Status = RunStatus.Succeeded })).Runs.Count,
            n => n == 2, TimeSpan.FromSeconds(30), "the index to list both finished runs as succeeded");

        // A run deletes the journal rows a new snapshot covers shortly after its writes: count once that has settled.
        var before = await rows.SettledAsync(TimeSpan.FromSeconds(30));
        Assert.True(before.GetValueOrDefault($"journal:run-{old.Id}") > 0, "the old run has no journal rows to purge");
        Assert.True(before.GetValueOrDefault($"snapshot:run-{old.Id}") > 0, "the old run has no snapshot to purge");

        // Older than the moment between the two ends: only the old run qualifies.
        var cutoff = oldFinished + TimeSpan.FromSeconds(1);
        var olderThan = DateTimeOffset.UtcNow - cutoff;
        var (status, body) = await http.PostAsync("runs/purge", $$"""{"olderThan": "{{olderThan:c}}"}""");

        Assert.True(status == HttpStatusCode.OK, $"POST /runs/purge gave {(int)status}: {body}");
        Assert.Equal(1, body.GetProperty("purged").GetInt32());
        Assert.Equal([old.Id], body.GetProperty("runIds").EnumerateArray().Select(id => id.GetString()));

        var after = await rows.PerPersistenceIdAsync();
        Assert.DoesNotContain(after.Keys, key => key.EndsWith($":run-{old.Id}", StringComparison.Ordinal));
        foreach (var table in new[] { "journal", "snapshot" })
        {
            var recentRows = $"{table}:run-{recent.Id}";
            Assert.True(before[recentRows] == after.GetValueOrDefault(recentRows),
                $"the recent finished run's {table} rows went from {before[recentRows]} to {after.GetValueOrDefault(recentRows)}");
        }
        // Nothing else lost a row (the running run and sharding's own rows may gain some meanwhile).
        foreach (var (id, count) in before.Where(pair => !pair.Key.EndsWith($":run-{old.Id}", StringComparison.Ordinal)))
            Assert.True(after.GetValueOrDefault(id) >= count, $"{id} lost rows: {count} before, {after.GetValueOrDefault(id)} after");
        Assert.True(after.GetValueOrDefault($"journal:run-{running.Id}") > 0, "the running run lost its journal rows");

        var (gone, goneBody) = await http.GetAsync($"runs/{old.Id}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal($"run '{old.Id}' was purged", goneBody.GetProperty("error").GetString());
        Assert.True(goneBody.GetProperty("purged").GetBoolean());
        Assert.DoesNotContain(old.Id, (await fanout.ListRunsAsync()).Runs.Select(r => r.RunId));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"runs/{recent.Id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"runs/{running.Id}")).Status);

        // Purging again up to the same moment finds nothing: the old run is purged once, the others are not due.
        Assert.Empty(await fanout.PurgeRunsAsync(DateTimeOffset.UtcNow - cutoff));
        Release(key);
        await running.WaitAsync(RunDeadline, "the held run to end once released");
    }

    [Fact]
    public async Task With_a_retention_finished_runs_are_purged_on_schedule_and_running_ones_are_not()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        options.RunRetention = TimeSpan.FromSeconds(1);
        await using var fanout = await FanoutRuntime.StartEmbeddedAsync(options);
        using var http = new RunsIndexHttp(fanout.BaseUrl!);

        var key = $"held-{Guid.NewGuid():N}";
        var running = await fanout.RunAsync(Held, key);
        var finished = await fanout.RunAsync(Quick, 1);
        await finished.WaitAsync(RunDeadline, "the quick run to end");

        await Eventually.Value(async () => (await http.GetAsync($"runs/{finished.Id}")).Status, s => s == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), $"run {finished.Id} to be purged by the 1 s retention");
        var (status, body) = await http.GetAsync($"runs/{running.Id}");
        Assert.True(status == HttpStatusCode.OK, $"the running run {running.Id} answered {(int)status}: {body}");
        Release(key);
        await running.WaitAsync(RunDeadline, "the held run to end once released");
    }

    [Fact]
    public async Task A_purged_run_that_sharding_remembers_is_not_restarted_into_an_empty_run()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        string runId;
        await using (var first = await FanoutRuntime.StartEmbeddedAsync(options))
        {
            // A finished run stays up (and remembered) for a while after its end; the runtime stops meanwhile.
            var run = await first.RunAsync(Quick, 1);
            await run.WaitAsync(RunDeadline, "the run to end before its purge");
            runId = run.Id;
            var finished = (await run.GetSummaryAsync()).FinishedAt!.Value;
            await Eventually.True(() => DateTimeOffset.UtcNow > finished + TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10),
                "the clock to pass the run's end");
            await IndexListsAsSucceeded(first, runId);
            Assert.Equal([runId], await first.PurgeRunsAsync(TimeSpan.FromMilliseconds(10)));
            Assert.Contains(runId, await RunEntities.OnAsync(first));
        }

        // Sharding starts its remembered entities again with the region: the purged run recovers empty and must go.
        await using var second = await FanoutRuntime.StartEmbeddedAsync(options);
        await Eventually.Value(() => RunEntities.OnAsync(second), entities => !entities.Contains(runId), TimeSpan.FromSeconds(20),
            $"the purged run {runId} to stop after the restart");
        using var http = new RunsIndexHttp(second.BaseUrl!);
        var (status, body) = await http.GetAsync($"runs/{runId}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.True(body.GetProperty("purged").GetBoolean());
    }

    [Fact]
    public async Task A_run_started_again_under_a_purged_id_is_a_new_run_that_is_found_and_listed()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        var runId = $"reused-{Guid.NewGuid():N}";
        await using (var first = await FanoutRuntime.StartEmbeddedAsync(options))
        {
            var run = await first.RunAsync(Quick, 1, new RunOptions { RunId = runId });
            await run.WaitAsync(RunDeadline, "the run to end before its purge");
            var finished = (await run.GetSummaryAsync()).FinishedAt!.Value;
            await Eventually.True(() => DateTimeOffset.UtcNow > finished + TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10),
                "the clock to pass the run's end");
            await IndexListsAsSucceeded(first, runId);
            Assert.Equal([runId], await first.PurgeRunsAsync(TimeSpan.FromMilliseconds(10)));
        }

        // Later (here: after a restart, so the old run is no longer in memory), its id is free again: a start makes a
        // new run, which the index shows instead of the tombstone.
        await using var fanout = await FanoutRuntime.StartEmbeddedAsync(options);
        using var http = new RunsIndexHttp(fanout.BaseUrl!);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"runs/{runId}")).Status);
        var again = await fanout.RunAsync(Quick, 2, new RunOptions { RunId = runId });
        Assert.Equal(3, await again.WaitAsync(RunDeadline, "the run started again under the purged id to end"));
        var (status, body) = await http.GetAsync($"runs/{runId}");
        Assert.True(status == HttpStatusCode.OK, $"the run started again under {runId} answered {(int)status}: {body}");
        Assert.Contains(runId, (await fanout.ListRunsAsync()).Runs.Select(r => r.RunId));
    }

    /// <summary>
    /// The runs index learns a run's end from the run shortly after it (asynchronously), and a purge picks finished
    /// runs from the index: purging before the index knows would find nothing (a race seen under load).
    /// </summary>
    private static Task IndexListsAsSucceeded(FanoutRuntime fanout, string runId) =>
        Eventually.Value(async () => (await fanout.ListRunsAsync(new RunListQuery { Status = RunStatus.Succeeded })).Runs.Select(r => r.RunId).ToList(),
            ids => ids.Contains(runId), TimeSpan.FromSeconds(30), $"the index to list run {runId} as succeeded");
}
