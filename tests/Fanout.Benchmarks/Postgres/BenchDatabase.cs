using Npgsql;

namespace Fanout.Benchmarks.Postgres;

/// <summary>
/// A new, empty database on the benchmark's PostgreSQL server for one scenario run, so that no run sees
/// another's journal; disposing it drops it, with whatever connections are still open to it.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;
    private bool _dropped;

    private BenchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The server's connection string with this database in it.</summary>
    public string ConnectionString { get; }

    public static Task<BenchDatabase> CreateAsync(string scenario, int n, CancellationToken cancellationToken) =>
        // Lower case, letters, digits and '_': no quoting needed, and well under PostgreSQL's 63 characters.
        CreateAsync(BenchPostgres.Server, $"fanout_bench_{scenario.Replace('-', '_')}_{n}_{Guid.NewGuid():N}"[..48], cancellationToken);

    /// <summary>Creates database <paramref name="name"/> (lower case, letters, digits and '_') on <paramref name="server"/>.</summary>
    public static async Task<BenchDatabase> CreateAsync(string server, string name, CancellationToken cancellationToken)
    {
        await ExecuteAsync(server, $"CREATE DATABASE {name}", cancellationToken);
        return new BenchDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dropped) return;
        _dropped = true;
        // Pooled connections of this process would otherwise stay open to it; WITH (FORCE) ends other processes' too.
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
