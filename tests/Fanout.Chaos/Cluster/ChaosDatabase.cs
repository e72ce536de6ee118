using Npgsql;

namespace Fanout.Chaos.Cluster;

/// <summary>
/// A new, empty PostgreSQL database for one invocation of the harness, on the server named by
/// FANOUT_CHAOS_POSTGRES (or FANOUT_TEST_POSTGRES); disposing it drops it, with any connection still open.
/// </summary>
internal sealed class ChaosDatabase : IAsyncDisposable
{
    public static readonly string[] Variables = ["FANOUT_CHAOS_POSTGRES", "FANOUT_TEST_POSTGRES"];

    private readonly string _server;
    private bool _dropped;

    private ChaosDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The server's connection string from the first variable set, or the problem.</summary>
    public static string? Server(out string? problem)
    {
        problem = null;
        foreach (var variable in Variables)
        {
            if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } value) continue;
            try
            {
                _ = new NpgsqlConnectionStringBuilder(value);
                return value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                problem = $"{variable} is not a PostgreSQL connection string: {e.Message}";
                return null;
            }
        }
        problem = $"the harness needs a PostgreSQL server: set {Variables[0]} (or {Variables[1]}) to a connection string of a user " +
                  "who may create databases, e.g. \"Host=127.0.0.1;Port=5432;Username=postgres\"";
        return null;
    }

    public static async Task<ChaosDatabase> CreateAsync(string server, CancellationToken cancellationToken)
    {
        var name = $"fanout_chaos_{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Guid.NewGuid():N}"[..44];
        await ExecuteAsync(server, $"CREATE DATABASE {name}", cancellationToken);
        return new ChaosDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dropped) return;
        _dropped = true;
        NpgsqlConnection.ClearAllPools();
        // Not cancellable: after Ctrl-C the database must still go.
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);
    }

    private static async Task ExecuteAsync(string server, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
