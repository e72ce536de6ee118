using Microsoft.Data.Sqlite;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// The size of what Akka.Persistence.Sql holds in a SQLite file: journal rows and their payload bytes,
/// plus the bytes of the snapshots. A run that snapshots deletes the journal rows its snapshot covers,
/// so the two together are what a run costs on disk.
/// </summary>
internal sealed record JournalSize(long Rows, long PayloadBytes, long SnapshotBytes)
{
    public static readonly JournalSize Empty = new(0, 0, 0);

    public long StoredBytes => PayloadBytes + SnapshotBytes;

    public static JournalSize operator -(JournalSize after, JournalSize before) =>
        new(after.Rows - before.Rows, after.PayloadBytes - before.PayloadBytes, after.SnapshotBytes - before.SnapshotBytes);
}

/// <summary>
/// Reads the journal table Akka.Persistence.Sql creates (<c>journal</c>, one row per persisted event,
/// its serialized bytes in <c>message</c>). Every writer counts: the runs' ledgers and sharding's
/// remember-entities store alike, as both are part of what a run costs on disk.
/// </summary>
internal static class JournalStats
{
    public static JournalSize Read(string databasePath)
    {
        if (!File.Exists(databasePath)) return JournalSize.Empty;
        using var connection = OpenReadOnly(databasePath);
        if (!HasTable(connection, "journal")) return JournalSize.Empty;

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(message)), 0) FROM journal";
        using var reader = command.ExecuteReader();
        reader.Read();
        var (rows, payload) = (reader.GetInt64(0), reader.GetInt64(1));
        return new JournalSize(rows, payload, SnapshotBytes(connection));
    }

    /// <summary>How many runs the journal knows: run ledgers with events or a snapshot, finished or not.</summary>
    public static long RunCount(string databasePath)
    {
        if (!File.Exists(databasePath)) return 0;
        using var connection = OpenReadOnly(databasePath);
        if (!HasTable(connection, "journal")) return 0;
        using var command = connection.CreateCommand();
        command.CommandText = HasTable(connection, "snapshot") ? RunCountSql : RunCountSqlWithoutSnapshots;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>Counts the distinct persistence ids of run ledgers (<c>run-&lt;id&gt;</c>); the same SQL serves SQLite and PostgreSQL.</summary>
    internal const string RunCountSql = """
        SELECT COUNT(*) FROM (
            SELECT persistence_id FROM journal WHERE persistence_id LIKE 'run-%'
            UNION
            SELECT persistence_id FROM snapshot WHERE persistence_id LIKE 'run-%') AS runs
        """;

    internal const string RunCountSqlWithoutSnapshots = "SELECT COUNT(DISTINCT persistence_id) FROM journal WHERE persistence_id LIKE 'run-%'";

    private static SqliteConnection OpenReadOnly(string databasePath)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            // A pooled connection would keep the file open after the scenario deletes it.
            Pooling = false,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static long SnapshotBytes(SqliteConnection connection)
    {
        if (!HasTable(connection, "snapshot")) return 0;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(LENGTH(snapshot)), 0) FROM snapshot";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static bool HasTable(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }
}
