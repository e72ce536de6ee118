using System.Data;
using Fanout.Runtime.Index;
using Fanout.Runtime.Journals;

namespace Fanout.Views.Journal;

/// <summary>
/// How far a run's journal has got: the highest sequence number among its events and snapshots. A run writes nothing
/// without raising it, so an unfinished run whose position has not moved need not be recovered again (one left by a
/// killed process never moves, and a million-action run takes seconds to recover).
/// </summary>
internal sealed class RunJournalPosition
{
    private readonly RunsIndexDatabase _database;
    private readonly string _sql;

    private RunJournalPosition(RunsIndexDatabase database, IReadOnlyList<string> tables)
    {
        _database = database;
        _sql = "SELECT MAX(s) FROM (" + string.Join(" UNION ALL ",
            tables.Select(t => $"SELECT MAX(sequence_number) AS s FROM {t} WHERE persistence_id = @pid")) + ") AS positions";
    }

    /// <summary>Reads positions in the journal's tables that exist (a journal that never snapshotted has no snapshot table).</summary>
    public static async Task<RunJournalPosition> ForAsync(RunsIndexDatabase database, CancellationToken ct)
    {
        var tables = new List<string>();
        await using var connection = await database.OpenJournalAsync(ct).ConfigureAwait(false);
        foreach (var table in new[] { JournalTables.Journal, JournalTables.Snapshot })
            if (await database.TableExistsAsync(connection, table, ct).ConfigureAwait(false)) tables.Add(table);
        return new RunJournalPosition(database, tables);
    }

    /// <summary>The run's position now; 0 when nothing is journaled for it.</summary>
    public async Task<long> ReadAsync(string runId, CancellationToken ct)
    {
        await using var connection = await _database.OpenJournalAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        RunsIndexDatabase.Parameter(command, "pid", RunsIndexStore.PersistenceId(runId), DbType.String);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } value and not DBNull ? Convert.ToInt64(value) : 0;
    }
}
