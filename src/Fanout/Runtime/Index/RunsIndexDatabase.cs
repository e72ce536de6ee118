using System.Data;
using System.Data.Common;
using Fanout.Runtime.Journals;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fanout.Runtime.Index;

/// <summary>
/// The database the runs index lives in: the journal's own, so a run's index row and its journal rows are
/// purged in one transaction. Only what differs between SQLite and PostgreSQL is here; the SQL is shared.
/// </summary>
internal sealed class RunsIndexDatabase(string connectionString, bool isPostgres)
{
    public bool IsPostgres { get; } = isPostgres;

    public static RunsIndexDatabase For(JournalConnection journal) =>
        new(journal.ConnectionString, journal.ProviderName.StartsWith("PostgreSQL", StringComparison.Ordinal));

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
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
