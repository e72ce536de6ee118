using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Fanout.Protocol;
using Fanout.Runtime.Journals;

namespace Fanout.Runtime.Index;

/// <summary>
/// The runs index table (<c>fanout_runs</c>; where it lives: <see cref="RunsIndexDatabase"/>): one row per run, written by the runs
/// (<see cref="RunsIndexWriter"/>), read to list runs and to tell an unknown id from a run without starting
/// the run's entity, and marked as a tombstone when the run is purged. The same SQL runs on SQLite and PostgreSQL.
/// </summary>
internal sealed class RunsIndexStore(RunsIndexDatabase database)
{
    public const string Table = "fanout_runs";

    // The run's rows in Akka.Persistence.Sql's tables carry its persistence id ("run-" + id).
    private const string JournalTable = JournalTables.Journal;
    private const string SnapshotTable = JournalTables.Snapshot;
    private const string TagTable = JournalTables.Tags;

    // Enough to say why a run failed in a list; the run's summary has the whole error.
    private const int MaxErrorMessageChars = 1000;
    private const int RowsPerStatement = 100;
    private const int RunsPerPurgeBatch = 200;

    private const string Columns =
        "run_id, task_name, status, started_at_ms, finished_at_ms, total_actions, counts, error_type, error_message, caller_chosen_id";

    public RunsIndexDatabase Database { get; } = database;

    /// <summary>Creates the table and its indexes when missing (every node does at start, as the journal does).</summary>
    public async Task CreateAsync(CancellationToken ct)
    {
        await using var connection = await Database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS {Table} (
              run_id TEXT NOT NULL PRIMARY KEY,
              task_name TEXT NOT NULL,
              status TEXT NOT NULL,
              started_at_ms BIGINT NOT NULL,
              finished_at_ms BIGINT NULL,
              total_actions INTEGER NOT NULL,
              counts TEXT NOT NULL,
              error_type TEXT NULL,
              error_message TEXT NULL,
              caller_chosen_id INTEGER NULL,
              version BIGINT NOT NULL,
              purged_at_ms BIGINT NULL,
              -- 0 from a purge's claim until the run's journal rows are deleted, then 1.
              rows_purged INTEGER NULL
            );
            CREATE INDEX IF NOT EXISTS {Table}_by_start ON {Table} (started_at_ms, run_id);
            CREATE INDEX IF NOT EXISTS {Table}_by_finish ON {Table} (finished_at_ms);
            CREATE INDEX IF NOT EXISTS {Table}_by_purge ON {Table} (rows_purged);
            """;
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the rows in one transaction. A row replaces the run's row only when made from the same or later
    /// facts (<see cref="RunIndexEntry.Version"/>) and never revives a purged run; but a run started under a
    /// purged id after its purge finished is a new run (its id was free again, as Temporal frees a workflow id
    /// after its retention), and its row replaces the tombstone.
    /// </summary>
    public async Task UpsertAsync(IReadOnlyList<RunIndexEntry> entries, CancellationToken ct)
    {
        await using var connection = await Database.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var chunk in entries.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = new StringBuilder();
            for (var i = 0; i < chunk.Length; i++)
            {
                var e = chunk[i];
                if (i > 0) values.Append(", ");
                values.Append($"(@r{i}, @t{i}, @s{i}, @b{i}, @f{i}, @n{i}, @c{i}, @et{i}, @em{i}, @cc{i}, @v{i})");
                RunsIndexDatabase.Parameter(command, $"r{i}", e.RunId, DbType.String);
                RunsIndexDatabase.Parameter(command, $"t{i}", e.TaskName, DbType.String);
                RunsIndexDatabase.Parameter(command, $"s{i}", StatusText(e.Status), DbType.String);
                RunsIndexDatabase.Parameter(command, $"b{i}", e.StartedAtMs, DbType.Int64);
                RunsIndexDatabase.Parameter(command, $"f{i}", e.FinishedAtMs, DbType.Int64);
                RunsIndexDatabase.Parameter(command, $"n{i}", e.TotalActions, DbType.Int32);
                RunsIndexDatabase.Parameter(command, $"c{i}", WriteCounts(e.Counts), DbType.String);
                RunsIndexDatabase.Parameter(command, $"et{i}", e.Error?.Type, DbType.String);
                RunsIndexDatabase.Parameter(command, $"em{i}", Shorten(e.Error?.Message), DbType.String);
                RunsIndexDatabase.Parameter(command, $"cc{i}", e.CallerChosenId is { } chosen ? (chosen ? 1 : 0) : null, DbType.Int32);
                RunsIndexDatabase.Parameter(command, $"v{i}", e.Version, DbType.Int64);
            }
            command.CommandText = $"""
                INSERT INTO {Table} ({Columns}, version) VALUES {values}
                ON CONFLICT (run_id) DO UPDATE SET
                  task_name = excluded.task_name, status = excluded.status, started_at_ms = excluded.started_at_ms,
                  finished_at_ms = excluded.finished_at_ms, total_actions = excluded.total_actions, counts = excluded.counts,
                  error_type = excluded.error_type, error_message = excluded.error_message,
                  caller_chosen_id = COALESCE(excluded.caller_chosen_id, {Table}.caller_chosen_id), version = excluded.version,
                  purged_at_ms = NULL, rows_purged = NULL
                WHERE ({Table}.purged_at_ms IS NULL AND {Table}.version <= excluded.version)
                   OR ({Table}.rows_purged = 1 AND excluded.started_at_ms > {Table}.purged_at_ms)
                """;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>One page of runs, newest started first (then by id, so runs started in the same millisecond page too).</summary>
    public async Task<RunListPage> ListAsync(RunListQuery query, CancellationToken ct)
    {
        query.Validate();
        await using var connection = await Database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("purged_at_ms IS NULL");
        if (query.Status is { } status)
        {
            where.Append(" AND status = @status");
            RunsIndexDatabase.Parameter(command, "status", StatusText(status), DbType.String);
        }
        if (query.TaskName is { } task)
        {
            where.Append(" AND task_name = @task");
            RunsIndexDatabase.Parameter(command, "task", task, DbType.String);
        }
        if (query.Since is { } since)
        {
            where.Append(" AND started_at_ms >= @since");
            RunsIndexDatabase.Parameter(command, "since", since.ToUnixTimeMilliseconds(), DbType.Int64);
        }
        if (query.Cursor is { } text && RunListCursor.TryRead(text, out var cursor))
        {
            where.Append(" AND (started_at_ms < @after_started OR (started_at_ms = @after_started AND run_id < @after_id))");
            RunsIndexDatabase.Parameter(command, "after_started", cursor.StartedAtMs, DbType.Int64);
            RunsIndexDatabase.Parameter(command, "after_id", cursor.RunId, DbType.String);
        }
        // One more than the page holds says whether another page follows.
        RunsIndexDatabase.Parameter(command, "limit", query.Limit + 1, DbType.Int32);
        command.CommandText = $"SELECT {Columns} FROM {Table} WHERE {where} ORDER BY started_at_ms DESC, run_id DESC LIMIT @limit";

        var runs = new List<RunListEntry>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) runs.Add(ReadEntry(reader));
        }
        if (runs.Count <= query.Limit) return new RunListPage(runs, null);
        runs.RemoveAt(runs.Count - 1);
        var last = runs[^1];
        return new RunListPage(runs, new RunListCursor(last.StartedAt.ToUnixTimeMilliseconds(), last.RunId).Write());
    }

    /// <summary>
    /// Whether the id names a run, a purged run, or nothing, without asking the run. A run journaled before the
    /// index existed has no row but has journal rows, so those are looked at too.
    /// </summary>
    public async Task<RunPresence> FindAsync(string runId, CancellationToken ct)
    {
        await using (var index = await Database.OpenAsync(ct).ConfigureAwait(false))
        await using (var command = index.CreateCommand())
        {
            command.CommandText = $"SELECT purged_at_ms FROM {Table} WHERE run_id = @id";
            RunsIndexDatabase.Parameter(command, "id", runId, DbType.String);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
                return reader.IsDBNull(0) ? RunPresence.Indexed : RunPresence.Purged;
        }

        await using var connection = await Database.OpenJournalAsync(ct).ConfigureAwait(false);
        foreach (var table in new[] { JournalTable, SnapshotTable })
        {
            if (!await Database.TableExistsAsync(connection, table, ct).ConfigureAwait(false)) continue;
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT 1 FROM {table} WHERE persistence_id = @pid LIMIT 1";
            RunsIndexDatabase.Parameter(command, "pid", PersistenceId(runId), DbType.String);
            if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null) return RunPresence.Journaled;
        }
        return RunPresence.Unknown;
    }

    /// <summary>
    /// Purges every finished run that finished before <paramref name="finishedBefore"/>: its journal rows and its
    /// snapshots go, and its index row becomes a tombstone. A batch of runs is first claimed in the index (so a
    /// node purging at the same moment skips them, and each is counted once), then its rows are deleted, then the
    /// tombstones say so; a purge cut short between the two finishes the deletion next time. Returns the ids
    /// claimed by this call.
    /// </summary>
    public async Task<IReadOnlyList<string>> PurgeAsync(DateTimeOffset finishedBefore, CancellationToken ct)
    {
        var purged = new List<string>();
        await using var index = await Database.OpenAsync(ct).ConfigureAwait(false);
        await using var journal = await Database.OpenJournalAsync(ct).ConfigureAwait(false);
        var tables = new List<string>();
        foreach (var table in new[] { JournalTable, SnapshotTable, TagTable })
            if (await Database.TableExistsAsync(journal, table, ct).ConfigureAwait(false)) tables.Add(table);

        var unfinished = await SelectIdsAsync(index, "rows_purged = 0", null, ct).ConfigureAwait(false);
        if (unfinished.Count > 0) await DeleteRowsAsync(index, journal, tables, unfinished, ct).ConfigureAwait(false);
        while (true)
        {
            var due = await SelectIdsAsync(index,
                "purged_at_ms IS NULL AND status <> @running AND finished_at_ms IS NOT NULL AND finished_at_ms < @cutoff",
                finishedBefore.ToUnixTimeMilliseconds(), ct).ConfigureAwait(false);
            if (due.Count == 0) return purged;
            var claimed = await ClaimAsync(index, due, ct).ConfigureAwait(false);
            await DeleteRowsAsync(index, journal, tables, claimed, ct).ConfigureAwait(false);
            purged.AddRange(claimed);
        }
    }

    private static async Task<List<string>> SelectIdsAsync(DbConnection index, string where, long? cutoffMs, CancellationToken ct)
    {
        await using var command = index.CreateCommand();
        command.CommandText = $"SELECT run_id FROM {Table} WHERE {where} ORDER BY finished_at_ms LIMIT {RunsPerPurgeBatch}";
        if (cutoffMs is { } cutoff)
        {
            RunsIndexDatabase.Parameter(command, "running", StatusText(RunStatus.Running), DbType.String);
            RunsIndexDatabase.Parameter(command, "cutoff", cutoff, DbType.Int64);
        }
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) ids.Add(reader.GetString(0));
        return ids;
    }

    private static async Task<List<string>> ClaimAsync(DbConnection index, List<string> runIds, CancellationToken ct)
    {
        var claimed = new List<string>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var transaction = await index.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var runId in runIds)
        {
            await using var command = index.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                UPDATE {Table} SET purged_at_ms = @now, rows_purged = 0, counts = @no_counts, total_actions = 0,
                  error_type = NULL, error_message = NULL
                WHERE run_id = @id AND purged_at_ms IS NULL
                """;
            RunsIndexDatabase.Parameter(command, "now", now, DbType.Int64);
            RunsIndexDatabase.Parameter(command, "no_counts", "{}", DbType.String);
            RunsIndexDatabase.Parameter(command, "id", runId, DbType.String);
            if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1) claimed.Add(runId);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return claimed;
    }

    /// <summary>Deletes the runs' journal, snapshot and tag rows, then marks their tombstones done.</summary>
    private static async Task DeleteRowsAsync(DbConnection index, DbConnection journal, List<string> tables, List<string> runIds,
        CancellationToken ct)
    {
        if (runIds.Count == 0) return;
        await using (var transaction = await journal.BeginTransactionAsync(ct).ConfigureAwait(false))
        {
            foreach (var table in tables)
                await ExecuteForRunsAsync(journal, transaction, $"DELETE FROM {table} WHERE persistence_id IN", runIds, PersistenceId, ct)
                    .ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        await ExecuteForRunsAsync(index, null, $"UPDATE {Table} SET rows_purged = 1 WHERE run_id IN", runIds, id => id, ct)
            .ConfigureAwait(false);
    }

    private static async Task ExecuteForRunsAsync(DbConnection connection, DbTransaction? transaction, string sqlBeforeList,
        List<string> runIds, Func<string, string> key, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = new List<string>(runIds.Count);
        for (var i = 0; i < runIds.Count; i++)
        {
            names.Add($"@p{i}");
            RunsIndexDatabase.Parameter(command, $"p{i}", key(runIds[i]), DbType.String);
        }
        command.CommandText = $"{sqlBeforeList} ({string.Join(", ", names)})";
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The run entity's persistence id (<see cref="RunActor.PersistenceId"/>).</summary>
    internal static string PersistenceId(string runId) => $"run-{runId}";

    private static RunListEntry ReadEntry(DbDataReader reader)
    {
        var finished = reader.IsDBNull(4) ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4));
        var error = reader.IsDBNull(7) ? null : new ActionError(reader.GetString(7), reader.IsDBNull(8) ? "" : reader.GetString(8), null);
        return new RunListEntry(
            reader.GetString(0), reader.GetString(1), ParseStatus(reader.GetString(2)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), finished, Convert.ToInt32(reader.GetValue(5)),
            ReadCounts(reader.GetString(6)), error, !reader.IsDBNull(9) && Convert.ToInt32(reader.GetValue(9)) == 1);
    }

    private static string StatusText(RunStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    private static RunStatus ParseStatus(string text) => Enum.Parse<RunStatus>(text, ignoreCase: true);

    private static string WriteCounts(IReadOnlyDictionary<ActionStatus, int> counts) =>
        JsonSerializer.Serialize(counts.ToDictionary(pair => JsonNamingPolicy.CamelCase.ConvertName(pair.Key.ToString()), pair => pair.Value));

    private static Dictionary<ActionStatus, int> ReadCounts(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, int>>(json)!
            .ToDictionary(pair => Enum.Parse<ActionStatus>(pair.Key, ignoreCase: true), pair => pair.Value);

    private static string? Shorten(string? message) =>
        message is null || message.Length <= MaxErrorMessageChars ? message : message[..MaxErrorMessageChars] + "…";
}
