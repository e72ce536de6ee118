using Npgsql;

namespace Fanout.Tests.Support;

/// <summary>
/// A new, empty database on the test PostgreSQL server named by <c>FANOUT_TEST_POSTGRES</c>, dropped on
/// dispose. Each journal gets its own, so runtimes never see each other's runs or remembered entities.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The environment variable with the server's connection string (a superuser, no database).</summary>
    public const string ServerVariable = "FANOUT_TEST_POSTGRES";

    private readonly string _serverConnectionString;

    private PostgresDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of this database, for <see cref="FanoutRuntimeOptions.ConnectionString"/>.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database; fails, saying how to get a server, when none is configured or reachable.</summary>
    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        // These specs are part of the suite: without a server they fail rather than pass unrun.
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{ServerVariable} is not set, so the specs on a PostgreSQL journal cannot run. Run .ci/run, or start a server " +
                $"with `eval \"$(tests/start-postgres.sh)\"` (or any PostgreSQL 15 you may create databases on) and set " +
                $"{ServerVariable} to its connection string, e.g. Host=127.0.0.1;Port=55432;Username=postgres.");

        var database = new PostgresDatabase(server, $"fanout_test_{Guid.NewGuid():N}"[..24]);
        await database.ExecuteOnServerAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    public async ValueTask DisposeAsync() =>
        // FORCE ends the sessions the runtime's connection pool still holds open.
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    private async Task ExecuteOnServerAsync(string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_serverConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"`{sql}` failed on the server {ServerVariable} names ({Describe(_serverConnectionString)}): {e.Message}. " +
                "Is it up? tests/start-postgres.sh starts one.", e);
        }
    }

    // Host and port only: a connection string may hold a password.
    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }
}
