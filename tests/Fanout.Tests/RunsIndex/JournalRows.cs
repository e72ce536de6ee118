using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fanout.Tests.RunsIndex;

/// <summary>Reads a runtime's journal database directly, to see what a purge or a lookup wrote or deleted.</summary>
internal sealed class JournalRows(FanoutRuntimeOptions options)
{
    private bool IsPostgres => options.Journal == FanoutJournal.PostgreSql;

    /// <summary>Rows per persistence id in the journal and snapshot tables (keyed "journal:pid" and "snapshot:pid").</summary>
    public async Task<Dictionary<string, long>> PerPersistenceIdAsync()
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await OpenAsync();
        foreach (var table in new[] { "journal", "snapshot" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT persistence_id, COUNT(*) FROM {table} GROUP BY persistence_id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows[$"{table}:{reader.GetString(0)}"] = reader.GetInt64(1);
        }
        return rows;
    }

    /// <summary>The rows per persistence id once two reads 100 ms apart agree (writes and deletes in flight have landed).</summary>
    public async Task<Dictionary<string, long>> SettledAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var previous = await PerPersistenceIdAsync();
        while (true)
        {
            await Task.Delay(100);
            var current = await PerPersistenceIdAsync();
            if (current.Count == previous.Count && current.All(pair => previous.GetValueOrDefault(pair.Key, -1) == pair.Value)) return current;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {within} waiting for the journal's rows to settle");
            previous = current;
        }
    }

    /// <summary>
    /// Journal rows of sharding's remember-entities store that name <paramref name="entityId"/>: starting an entity
    /// writes one (and stopping it another), so a lookup that starts no entity leaves this at zero.
    /// </summary>
    public async Task<long> ShardingRowsNamingAsync(string entityId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = IsPostgres
            ? "SELECT COUNT(*) FROM journal WHERE persistence_id NOT LIKE 'run-%' AND position(convert_to(@id, 'UTF8') in message) > 0"
            : "SELECT COUNT(*) FROM journal WHERE persistence_id NOT LIKE 'run-%' AND instr(message, CAST(@id AS BLOB)) > 0";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = entityId;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(options.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.DatabasePath }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
