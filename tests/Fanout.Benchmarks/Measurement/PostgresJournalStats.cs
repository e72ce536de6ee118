using Npgsql;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// The same figures as <see cref="JournalStats"/>, from the tables Akka.Persistence.Sql creates in a
/// PostgreSQL database (<c>journal</c> with the events' bytes in <c>message</c>, <c>snapshot</c> with
/// the snapshots' in <c>snapshot</c>), so the stored bytes compare with the SQLite scenarios'. Beside them,
/// what the tables take on disk.
/// </summary>
internal static class PostgresJournalStats
{
    public static JournalSize Read(string connectionString)
    {
        using var connection = Open(connectionString);
        if (!HasTable(connection, "journal")) return JournalSize.Empty;
        using var command = new NpgsqlCommand("SELECT COUNT(*), COALESCE(SUM(octet_length(message)), 0) FROM journal", connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        var (rows, payload) = (reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1)));
        reader.Close();
        var snapshots = HasTable(connection, "snapshot") ? Scalar(connection, "SELECT COALESCE(SUM(octet_length(snapshot)), 0) FROM snapshot") : 0;
        return new JournalSize(rows, payload, snapshots);
    }

    /// <summary>How many runs the journal knows: run ledgers with events or a snapshot, finished or not.</summary>
    public static long RunCount(string connectionString)
    {
        using var connection = Open(connectionString);
        if (!HasTable(connection, "journal")) return 0;
        return Scalar(connection, HasTable(connection, "snapshot") ? JournalStats.RunCountSql : JournalStats.RunCountSqlWithoutSnapshots);
    }

    /// <summary>
    /// The bytes of every table in the database with its indexes and TOAST (pg_total_relation_size): the
    /// database is the run's own, so that is the journal's footprint, dead rows not yet vacuumed included.
    /// </summary>
    public static long TableBytes(string connectionString)
    {
        using var connection = Open(connectionString);
        return Scalar(connection, """
            SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """);
    }

    // Unpooled: the database is dropped after the run, and a pooled connection would hold it open.
    private static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static bool HasTable(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", table);
        return (bool)command.ExecuteScalar()!;
    }

    private static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
