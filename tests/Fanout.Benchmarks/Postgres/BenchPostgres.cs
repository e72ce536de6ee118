using Npgsql;

namespace Fanout.Benchmarks.Postgres;

/// <summary>
/// The PostgreSQL server the PostgreSQL scenarios use, named by the FANOUT_BENCH_POSTGRES variable: a
/// connection string whose user may create and drop databases. Each scenario run gets a database of its own.
/// </summary>
internal static class BenchPostgres
{
    public const string Variable = "FANOUT_BENCH_POSTGRES";

    /// <summary>The server's connection string.</summary>
    /// <exception cref="InvalidOperationException">The variable is not set (the command line checks it first).</exception>
    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{Variable} is not set");

    /// <summary>Why the PostgreSQL scenarios cannot run, or null when the variable holds a connection string.</summary>
    public static string? Problem()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
            return $"the PostgreSQL scenarios need a server: set {Variable} to its connection string " +
                   "(e.g. \"Host=127.0.0.1;Port=5432;Username=postgres\"); each run creates a database of its own and drops it after";
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return $"{Variable} is not a PostgreSQL connection string: {e.Message}";
        }
    }
}
