using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fanout.Runtime.Index;
using Fanout.Tests.Actors;
using Fanout.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Fanout.Tests.RunsIndex;

/// <summary>
/// The node's index writer: a write the database refuses is tried again until it is taken, nothing it held is
/// lost (the newest row of each run wins), and a start's answer goes out only once the run's row is durable.
/// </summary>
public sealed class RunsIndexWriterSpecs() : TestKit(ActorSpecConfig.Hocon)
{
    [Fact]
    public async Task A_write_the_database_refuses_is_retried_until_taken_and_the_start_is_answered_after_it()
    {
        using var folder = new TempDirectory();
        // The file's folder does not exist yet: SQLite cannot open it, as if the database were down.
        var path = Path.Combine(folder.Path, "not-yet", "runs.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        var store = new RunsIndexStore(new RunsIndexDatabase(connectionString, connectionString, isPostgres: false));
        var writer = Sys.ActorOf(RunsIndexWriter.Props(store));
        var caller = CreateTestProbe();

        EventFilter.Warning(contains: "of the runs index failed").Expect(1, TimeSpan.FromSeconds(10), () =>
            writer.Tell(new RunsIndexWriter.IndexRun(Row("r-1", RunStatus.Running, version: 1), [(caller.Ref, "r-1 started")])));
        // Meanwhile the run moves on: its newer row replaces the one waiting, and its end comes too.
        writer.Tell(new RunsIndexWriter.IndexRun(Row("r-1", RunStatus.Succeeded, version: 3)));
        writer.Tell(new RunsIndexWriter.IndexRun(Row("r-2", RunStatus.Running, version: 1), [(caller.Ref, "r-2 started")]));
        caller.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await store.CreateAsync(CancellationToken.None);

        var answers = new[] { caller.ExpectMsg<string>(TimeSpan.FromSeconds(20)), caller.ExpectMsg<string>(TimeSpan.FromSeconds(5)) };
        Assert.Equal(["r-1 started", "r-2 started"], answers.Order());
        var page = await store.ListAsync(new RunListQuery(), CancellationToken.None);
        Assert.Equal([("r-2", RunStatus.Running), ("r-1", RunStatus.Succeeded)], page.Runs.Select(r => (r.RunId, r.Status)));
        Assert.True(page.Runs.Single(r => r.RunId == "r-1").CallerChosenId, "the newer row dropped what the start said of the id");
    }

    private static RunIndexEntry Row(string runId, RunStatus status, long version) => new(
        runId, "env.main", status, StartedAtMs: runId == "r-1" ? 1_000 : 2_000, FinishedAtMs: status == RunStatus.Running ? null : 5_000,
        TotalActions: 1, new Dictionary<ActionStatus, int> { [ActionStatus.Running] = 1 }, Error: null,
        CallerChosenId: version == 1 ? true : null, version);
}
