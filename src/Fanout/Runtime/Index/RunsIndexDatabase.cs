using System.Data;
using System.Data.Common;
using Fanout.Runtime.Journals;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fanout.Runtime.Index;

/// <summary>
/// Where the runs index lives, and the journal it indexes. On PostgreSQL the index is a table in the journal's
/// database. On SQLite it is a file of its own beside the journal's (<c>fanout.db</c> → <c>fanout.runs.db</c>):
/// SQLite lets one writer at a time into a file and Microsoft.Data.Sqlite sleeps before it tries a busy file
/// again, so every index write in the journal's file could hold a journal write (a run's hot path) back.
/// Only what differs between SQLite and PostgreSQL is here; the SQL is shared.
/// </summary>
internal sealed class RunsIndexDatabase(string indexConnectionString, string journalConnectionString, bool isPostgres)
{
    public bool IsPostgres { get; } = isPostgres;

    public static RunsIndexDatabase For(JournalConnection journal)
    {
        if (journal.ProviderName.StartsWith("PostgreSQL", StringComparison.Ordinal))
            return new RunsIndexDatabase(journal.ConnectionString, journal.ConnectionString, isPostgres: true);
        var journalPath = new SqliteConnectionStringBuilder(journal.ConnectionString).DataSource;
        return new RunsIndexDatabase(SqliteJournal.Prepare(IndexPathBeside(journalPath)), journal.ConnectionString, isPostgres: false);
    }

    /// <summary>The runs index file of a SQLite journal file.</summary>
    public static string IndexPathBeside(string journalPath) =>
        Path.Combine(Path.GetDirectoryName(journalPath) ?? "", Path.GetFileNameWithoutExtension(journalPath) + ".runs" + Path.GetExtension(journalPath));

    /// <summary>A connection to the index's database.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken ct) => OpenAsync(indexConnectionString, ct);

    /// <summary>A connection to the journal's database (the same as the index's on PostgreSQL).</summary>
    public Task<DbConnection> OpenJournalAsync(CancellationToken ct) => OpenAsync(journalConnectionString, ct);

    private async Task<DbConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether Akka.Persistence.Sql has created <paramref name="table"/> yet (it does so on first use).</summary>
    public async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = IsPostgres
            ? "SELECT to_regclass(@name) IS NOT NULL"
            : "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = @name";
        Parameter(command, "name", table, DbType.String);
        return Convert.ToBoolean(await command.ExecuteScalarAsync(ct).ConfigureAwait(false));
    }

    /// <summary>Adds a typed parameter (typed, so a null still tells PostgreSQL its type).</summary>
    public static void Parameter(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
