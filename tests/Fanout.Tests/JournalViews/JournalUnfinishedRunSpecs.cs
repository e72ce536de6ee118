using Fanout.Tests.EndToEnd;
using Fanout.Runtime.Index;
using Fanout.Tests.Cli;
using Fanout.Tests.Support;
using Fanout.Views.Journal;

namespace Fanout.Tests.JournalViews;

/// <summary>
/// Runs that have not ended in the journal: one whose process was killed stays exactly as it was (the viewer neither
/// resumes nor fails it, and writes nothing), and one a live runtime is still running is followed as it goes.
/// </summary>
public sealed class JournalUnfinishedRunSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_run_left_unfinished_by_a_killed_process_is_shown_as_it_was_neither_resumed_nor_failed()
    {
        using var folder = new TempDirectory();
        var database = folder.File("fanout.db");
        var log = folder.File("executions.log");
        string runId;
        using (var host = HostProcess.Start(new Dictionary<string, string> { ["FANOUT_CRASH_LOG"] = log }, "start", database, "400"))
        {
            runId = (await host.WaitForLineAsync("RUN ", Within))["RUN ".Length..].Trim();
            await Eventually.True(() => File.Exists(log) && File.ReadAllLines(log).Length >= 20, Within, "20 items executed before the kill");
            host.KillHard();
        }
        var options = RuntimeFixture.TestOptions(database);
        var before = await JournalFiles.FingerprintAsync(options);

        var views = await JournalRunViews.OpenAsync(await JournalLocation.FindAsync(folder.Path, null, default), null, default,
            refreshUnfinishedAfter: TimeSpan.Zero);
        await using (views)
        {
            var summary = await views.GetSummaryAsync(runId, default);
            Assert.NotNull(summary);
            Assert.Equal(RunStatus.Running, summary.Status);
            Assert.InRange(summary.Counts.GetValueOrDefault(ActionStatus.Succeeded), 1, 399);
            var succeeded = await views.ListActionsAsync(runId, new ActionQuery(ActionStatus.Succeeded, Limit: 5), default);
            var detail = (await views.GetActionAsync(runId, succeeded!.Actions[0].ActionId, default))!.Detail;
            Assert.Equal(ActionStatus.Succeeded, detail!.Action.Status);
            Assert.Equal(RunStatus.Running, (await views.ListRunsAsync(new RunListQuery(), default)).Runs.Single(r => r.RunId == runId).Status);
            Assert.Equal(RunPresence.Indexed, await views.FindAsync(runId, default));

            // Unfinished, so its journal is looked at again when asked again; nothing has moved it on, so it is not
            // recovered again (and this viewer has not moved it on either).
            var again = await views.GetSummaryAsync(runId, default);
            Assert.Equal(JournalRunViewsSpecs.Serialize(summary), JournalRunViewsSpecs.Serialize(again));
            Assert.Equal(1, views.Runs.Recoveries);
        }

        // The killed process's write-ahead log is still there, unmerged, and not a byte of the journal changed.
        Assert.Equal(before, await JournalFiles.FingerprintAsync(options));
    }

    [Fact]
    public async Task A_journal_a_live_runtime_is_still_writing_is_followed_as_the_run_goes()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        await using var runtime = await FanoutRuntime.StartEmbeddedAsync(options);
        _ = CliTasks.Names;
        var key = Guid.NewGuid().ToString("N");
        var run = await runtime.RunAsync(CliTasks.GatedWaves, key);
        await using var views = await JournalRunViewsSpecs.OpenAsync(options);

        var going = await Eventually.Value(() => views.GetSummaryAsync(run.Id, default),
            s => s is { Status: RunStatus.Running } && s.Counts.GetValueOrDefault(ActionStatus.Succeeded) == 3 && s.TotalActions == 6,
            Within, "the viewer to show wave-1 done and wave-2 waiting at its gate");
        // The root and the two gated leaves are not done.
        Assert.Equal(3, going!.Counts.GetValueOrDefault(ActionStatus.Running) + going.Counts.GetValueOrDefault(ActionStatus.Queued));

        CliTasks.Gate(key).SetResult();
        await run.EndsAsync("wave 2 released from its gate");
        var live = JournalRunViewsSpecs.Serialize(await run.GetSummaryAsync());
        var ended = await Eventually.Value(() => views.GetSummaryAsync(run.Id, default),
            s => s is { Status: RunStatus.Succeeded }, Within, "the viewer to show the run's end");
        Assert.Equal(live, JournalRunViewsSpecs.Serialize(ended));
        Assert.True(views.Runs.Recoveries >= 2, $"recovered {views.Runs.Recoveries} time(s) while the run went on");
    }
}
