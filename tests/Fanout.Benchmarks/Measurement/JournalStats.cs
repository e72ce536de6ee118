using Microsoft.Data.Sqlite;

namespace Fanout.Benchmarks.Measurement;

/// <summary>The size of what Akka.Persistence.Sql wrote to a SQLite journal.</summary>
internal sealed record JournalSize(long Rows, long PayloadBytes)
{
    public static readonly JournalSize Empty = new(0, 0);

    public static JournalSize operator -(JournalSize after, JournalSize before) =>
        new(after.Rows - before.Rows, after.PayloadBytes - before.PayloadBytes);
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
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            // A pooled connection would keep the file open after the scenario deletes it.
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        if (!HasJournalTable(connection)) return JournalSize.Empty;

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(message)), 0) FROM journal";
        using var reader = command.ExecuteReader();
        reader.Read();
        return new JournalSize(reader.GetInt64(0), reader.GetInt64(1));
    }

    private static bool HasJournalTable(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }
}
