using Fanout.Benchmarks.Postgres;
using Npgsql;

namespace Fanout.Chaos.Cluster;

/// <summary>
/// The PostgreSQL server the harness uses, named by FANOUT_CHAOS_POSTGRES (or FANOUT_TEST_POSTGRES), and
/// the database of one invocation on it (created new, dropped when disposed).
/// </summary>
internal static class ChaosPostgres
{
    public static readonly string[] Variables = ["FANOUT_CHAOS_POSTGRES", "FANOUT_TEST_POSTGRES"];

    /// <summary>The server's connection string from the first variable set, or null and the problem.</summary>
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

    /// <summary>A new database for this invocation, named by the time it was made.</summary>
    public static Task<BenchDatabase> CreateDatabaseAsync(string server, CancellationToken cancellationToken) =>
        BenchDatabase.CreateAsync(server, $"fanout_chaos_{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Guid.NewGuid():N}"[..44], cancellationToken);
}
