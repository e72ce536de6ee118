using Npgsql;

namespace Fanout.Tests.Cluster.Support;

/// <summary>TEMPORARY: a fresh PostgreSQL database from FANOUT_TEST_POSTGRES (to be replaced by the shared support class).</summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private ClusterDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ClusterDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("FANOUT_TEST_POSTGRES")
                     ?? throw new InvalidOperationException("FANOUT_TEST_POSTGRES is not set");
        var name = $"fanout_test_{Guid.NewGuid():N}"[..28];
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new ClusterDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
