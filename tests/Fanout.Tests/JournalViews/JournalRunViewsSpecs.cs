using Fanout.Tests.EndToEnd;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Runtime.Index;
using Fanout.Tests.Support;
using Fanout.Views.Journal;
using Xunit.Abstractions;

namespace Fanout.Tests.JournalViews;

/// <summary>
/// <see cref="JournalRunViews"/> on a journal a real embedded runtime wrote and then stopped: every view equals what the
/// live runtime answered before it stopped, on SQLite and on PostgreSQL.
/// </summary>
public sealed class JournalRunViewsSpecs(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    [Theory]
    [InlineData(FanoutJournal.Sqlite)]
    [InlineData(FanoutJournal.PostgreSql)]
    public async Task A_finished_run_reads_back_exactly_as_the_live_runtime_showed_it(FanoutJournal kind)
    {
        await using var journal = await TestJournal.CreateAsync(kind);
        var options = journal.Options();
        var live = await LiveAnswers.RecordAsync(options, JournalViewTasks.Grouped, 20);

        var before = await JournalFiles.FingerprintAsync(options);
        var views = await OpenAsync(options);
        await using (views)
        {
            await ShowsWhatTheLiveRuntimeShowedAsync(views, live);
        }

        // Its connections cannot write, whatever code might try.
        await using (var connection = await views.Location.Database.OpenJournalAsync(default))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TABLE fanout_viewer_probe (x INTEGER)";
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => command.ExecuteNonQueryAsync());
        }

        // Read-only connections and no table creation: browsing left every row (every byte, on SQLite) as it was.
        Assert.Equal(before, await JournalFiles.FingerprintAsync(options));
    }

    private static async Task ShowsWhatTheLiveRuntimeShowedAsync(JournalRunViews views, LiveAnswers live)
    {
        Assert.Equal(RunPresence.Indexed, await views.FindAsync(live.RunId, default));
        Assert.Equal(live.Summary, Serialize(await views.GetSummaryAsync(live.RunId, default)));
        foreach (var (query, page) in live.Pages)
            Assert.Equal(page, Serialize(await views.ListActionsAsync(live.RunId, query, default)));
        foreach (var (actionId, detail) in live.Details)
            Assert.Equal(detail, Serialize((await views.GetActionAsync(live.RunId, actionId, default))!.Detail));
        Assert.Equal(live.RunList, Serialize(await views.ListRunsAsync(new RunListQuery(), default)));
        Assert.Equal(live.FailedList, Serialize(await views.ListRunsAsync(new RunListQuery { Status = RunStatus.Failed }, default)));
        // Finished, so it never changes: recovered once however often it is read.
        Assert.Equal(1, views.Runs.Recoveries);
        Assert.True(views.ReadOnly);
        Assert.Empty(views.TaskNames);
        Assert.Null(await views.GetClusterAsync(default));
        Assert.Null(await views.GetExecutorsAsync(default));
    }

    [Fact]
    public async Task An_unknown_run_or_action_is_answered_as_the_live_runtime_answers_it()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        var live = await LiveAnswers.RecordAsync(options, JournalViewTasks.Grouped, 3);

        await using var views = await OpenAsync(options);

        Assert.Equal(RunPresence.Unknown, await views.FindAsync("no-such-run", default));
        Assert.Null(await views.GetSummaryAsync("no-such-run", default));
        Assert.Null(await views.ListActionsAsync("no-such-run", new ActionQuery(), default));
        Assert.Null(await views.GetActionAsync("no-such-run", "no-such-run", default));
        var lookup = await views.GetActionAsync(live.RunId, live.RunId + "/no/such#1", default);
        Assert.NotNull(lookup);
        Assert.Null(lookup.Detail);
        Assert.Throws<ArgumentOutOfRangeException>(() => views.ListActionsAsync(live.RunId, new ActionQuery(Limit: 0), default).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Recovered_runs_are_kept_up_to_a_bound_on_their_actions_the_least_recently_used_going_first()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        var first = (await LiveAnswers.RecordAsync(options, JournalViewTasks.Grouped, 10)).RunId; // 21 actions each
        var second = (await LiveAnswers.RecordAsync(options, JournalViewTasks.Grouped, 10)).RunId;
        var location = await JournalLocation.FindAsync(options.DatabasePath, null, default);

        await using (var roomy = await JournalRunViews.OpenAsync(location, null, default, maxCachedActions: 42))
        {
            foreach (var runId in new[] { first, second, first, second }) Assert.NotNull(await roomy.GetSummaryAsync(runId, default));
            Assert.Equal(2, roomy.Runs.Recoveries);
        }
        await using (var tight = await JournalRunViews.OpenAsync(location, null, default, maxCachedActions: 30))
        {
            Assert.NotNull(await tight.GetSummaryAsync(first, default));
            Assert.NotNull(await tight.GetSummaryAsync(second, default)); // no room for both: the first goes
            Assert.NotNull(await tight.GetSummaryAsync(second, default));
            Assert.Equal(2, tight.Runs.Recoveries);
            Assert.NotNull(await tight.GetSummaryAsync(first, default));
            Assert.Equal(3, tight.Runs.Recoveries);
        }
    }

    [Fact]
    public async Task Recovering_a_finished_100000_action_run_is_timed()
    {
        // FANOUT_JOURNAL_VIEW_LEAVES=1000000 times a million-action run instead.
        var leaves = int.TryParse(Environment.GetEnvironmentVariable("FANOUT_JOURNAL_VIEW_LEAVES"), out var asked) ? asked : 100_000;
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        var written = Stopwatch.StartNew();
        string runId;
        await using (var runtime = await FanoutRuntime.StartEmbeddedAsync(options))
        {
            var run = await runtime.RunAsync(JournalViewTasks.Wide, leaves);
            Assert.Equal(leaves, await run.EndsAsync($"{leaves:N0} leaves for the recovery figure"));
            runId = run.Id;
        }
        output.WriteLine($"the {leaves + 1:N0}-action run took {written.Elapsed.TotalSeconds:F1} s to run and journal");

        await using var views = await OpenAsync(options);
        var recovery = Stopwatch.StartNew();
        var summary = await views.GetSummaryAsync(runId, default);
        recovery.Stop();
        var nextPage = Stopwatch.StartNew();
        var page = await views.ListActionsAsync(runId, new ActionQuery(ActionStatus.Succeeded, Offset: leaves / 2, Limit: 100), default);
        nextPage.Stop();

        Assert.Equal(leaves + 1, summary!.TotalActions);
        Assert.Equal(100, page!.Actions.Count);
        output.WriteLine($"recovering the finished {leaves + 1:N0}-action run from its journal: {recovery.Elapsed.TotalMilliseconds:F0} ms; " +
                         $"a filtered page at offset {leaves / 2:N0} after it: {nextPage.Elapsed.TotalMilliseconds:F1} ms");
    }

    internal static async Task<JournalRunViews> OpenAsync(FanoutRuntimeOptions options, TimeSpan? refreshUnfinishedAfter = null) =>
        await JournalRunViews.OpenAsync(await JournalLocation.FindAsync(
            options.Journal == FanoutJournal.Sqlite ? options.DatabasePath : null,
            options.Journal == FanoutJournal.PostgreSql ? options.ConnectionString : null, default), null, default,
            refreshUnfinishedAfter: refreshUnfinishedAfter);

    internal static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>What a live runtime answered about one finished run, as JSON, recorded before the runtime stops.</summary>
    internal sealed record LiveAnswers(string RunId, string Summary, List<(ActionQuery Query, string Page)> Pages,
        List<(string ActionId, string Detail)> Details, string RunList, string FailedList)
    {
        public static async Task<LiveAnswers> RecordAsync(FanoutRuntimeOptions options, TaskDefinition<int, int> task, int n)
        {
            await using var runtime = await FanoutRuntime.StartEmbeddedAsync(options);
            var run = await runtime.RunAsync(task, n);
            await run.EndsAsync("the run whose answers the viewer must repeat");
            var failed = await run.GetActionsAsync(new ActionQuery(ActionStatus.Failed));
            Assert.NotEmpty(failed.Actions); // the failures are what the detail and the filters must show
            var queries = new[]
            {
                new ActionQuery(), new ActionQuery(Offset: 3, Limit: 5), new ActionQuery(ActionStatus.Failed),
                new ActionQuery(Group: "alpha"), new ActionQuery(ActionStatus.Succeeded, "alpha/beta", 2, 4),
                new ActionQuery(Group: "gamma"), new ActionQuery(Group: "no-such-group"),
            };
            var pages = new List<(ActionQuery, string)>();
            foreach (var query in queries) pages.Add((query, Serialize(await run.GetActionsAsync(query))));
            var details = new List<(string, string)>();
            foreach (var actionId in new[] { run.Id, failed.Actions[0].ActionId, failed.Actions[^1].ActionId })
                details.Add((actionId, Serialize(await run.GetActionAsync(actionId))));
            // The run's index row is written after its end: the list is recorded once it shows the end.
            var list = await Eventually.Value(() => runtime.ListRunsAsync(new RunListQuery()),
                listed => listed.Runs.Single(r => r.RunId == run.Id).Status != RunStatus.Running, TimeSpan.FromSeconds(30),
                "the runs index to show the run's end");
            return new LiveAnswers(run.Id, Serialize(await run.GetSummaryAsync()), pages, details, Serialize(list),
                Serialize(await runtime.ListRunsAsync(new RunListQuery { Status = RunStatus.Failed })));
        }
    }
}
