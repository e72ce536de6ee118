using Akka.Actor;
using Akka.Cluster.Sharding;
using Fanout.Runtime;
using Fanout.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Fanout.Tests.Scale;

/// <summary>
/// A run of 50,000 actions on the SQLite journal snapshots as it grows; a new process recovers it from
/// its latest snapshot and the entries after it, and has every action, result and count back.
/// </summary>
public sealed class SnapshotRecoverySpecs : IDisposable
{
    private const int Children = 50_000;
    private static readonly TaskEnvironment Env = new("snapshot_recovery");
    private static readonly TaskDefinition<int, int> Square = Env.Task("square", (int x) => Task.FromResult(x % 1000 * (x % 1000)));
    private static readonly TaskDefinition<int, long> Main = Env.Task("main", async (int n) =>
    {
        var calls = new Task<int>[n];
        for (var i = 0; i < n; i++) calls[i] = Square.InvokeAsync(i);
        return (await Task.WhenAll(calls)).Sum(x => (long)x);
    });

    private readonly TempDirectory _folder = new();

    private FanoutRuntimeOptions Options()
    {
        // A scale spec: message serialization is checked by the other specs, and doubles this one's time.
        var options = new FanoutRuntimeOptions { DatabasePath = _folder.File("journal.db"), HttpPort = null };
        options.TaskAssemblies.Add(typeof(SnapshotRecoverySpecs).Assembly);
        return options;
    }

    [Fact]
    public async Task A_restarted_runtime_recovers_a_large_run_from_its_snapshot()
    {
        var expected = Enumerable.Range(0, Children).Sum(x => (long)(x % 1000 * (x % 1000)));
        string runId;
        await using (var first = await FanoutRuntime.StartEmbeddedAsync(Options()))
        {
            var run = await first.RunAsync(Main, Children);
            Assert.Equal(expected, await run.WaitAsync(TimeSpan.FromMinutes(5), "the run of 50,000 actions to end"));
            runId = run.Id;

            // After a snapshot is saved, the run deletes older snapshots and the journal rows the snapshot
            // covers; that housekeeping is asynchronous, so it is awaited here before the process stops.
            var id = $"run-{runId}";
            await Eventually.True(() => StoredRows(id) is var (snapshots, position, firstRow) && snapshots == 1 && firstRow == position + 1,
                TimeSpan.FromSeconds(30), "one snapshot left, and the journal starting right after it");
        }

        await using var second = await FanoutRuntime.StartEmbeddedAsync(Options());
        var again = second.GetRun<long>(runId);
        var summary = await again.GetSummaryAsync();
        Assert.Equal((RunStatus.Succeeded, Children + 1, Children + 1),
            (summary.Status, summary.TotalActions, summary.Counts[ActionStatus.Succeeded]));
        Assert.Equal(expected, await again.WaitAsync(TimeSpan.FromMinutes(5), "the recovered run to answer"));

        var page = await again.GetActionsAsync(new ActionQuery(Offset: Children - 2, Limit: 10));
        Assert.Equal(Children + 1, page.Total);
        Assert.Equal(new[] { $"{runId}/snapshot_recovery.square#{Children - 3}", $"{runId}/snapshot_recovery.square#{Children - 2}", $"{runId}/snapshot_recovery.square#{Children - 1}" },
            page.Actions.Select(a => a.ActionId));

        var region = ClusterSharding.Get(second.ActorSystem).ShardRegion(ShardRegions.Runs);
        var stats = await region.Ask<RunActor.RecoveryStats>(new RunActor.GetRecoveryStats(runId), TimeSpan.FromSeconds(30));
        // About 100,000 entries were written (a request and an outcome per action); recovery replayed
        // only those after the snapshot.
        Assert.InRange(stats.EntriesReplayed, 0, Children);
    }

    // Read while the runtime runs too: SQLite's WAL lets a reader in beside the journal's writer.
    private (long Snapshots, long SnapshotPosition, long FirstJournalPosition) StoredRows(string persistenceId)
    {
        using var connection = new SqliteConnection($"Data Source={_folder.File("journal.db")};Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", persistenceId);
            return Convert.ToInt64(command.ExecuteScalar());
        }
        return (Scalar("SELECT COUNT(*) FROM snapshot WHERE persistence_id = $id"),
            Scalar("SELECT COALESCE(MAX(sequence_number), -1) FROM snapshot WHERE persistence_id = $id"),
            Scalar("SELECT COALESCE(MIN(sequence_number), -1) FROM journal WHERE persistence_id = $id AND deleted = 0"));
    }

    public void Dispose() => _folder.Dispose();
}
