using Npgsql;

namespace Fanout.Runtime.Journals;

/// <summary>Checks a PostgreSQL journal's connection string before the node starts, and serializes table creation.</summary>
internal static class PostgresJournal
{
    // Any number both sides agree on: the key of the advisory lock nodes take while they create tables.
    private const long StartupLockKey = 0x46616e6f7574; // "Fanout"
    private static readonly TimeSpan StartupLockWait = TimeSpan.FromSeconds(60);

    public static async Task<(string ConnectionString, string Description, IAsyncDisposable StartupLock)> PrepareAsync(
        string connectionString, CancellationToken ct)
    {
        var builder = Parse(connectionString);

        var description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        // Its own physical connection: an advisory lock belongs to the session, and a pooled one would
        // keep the lock after Dispose.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(builder.Timeout, 1) + 5));
            await connection.OpenAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ct.IsCancellationRequested) throw;
            throw new FanoutException(
                $"The journal database cannot be reached: {description} ({Describe(e)}). " +
                "Check ConnectionString (FANOUT_CONNECTION_STRING for a node) and that the server is up.", e);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_advisory_lock(@key)";
            command.Parameters.AddWithValue("key", StartupLockKey);
            command.CommandTimeout = (int)StartupLockWait.TotalSeconds;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return (builder.ConnectionString, description, new StartupLock(connection));
    }

    /// <summary>The connection string the journal's plugins get (<see cref="PrepareAsync"/>'s), without connecting.</summary>
    /// <exception cref="ArgumentException">It is malformed or names no host.</exception>
    public static string ConnectionString(string connectionString) => Parse(connectionString).ConnectionString;

    private static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"ConnectionString is not a valid PostgreSQL connection string: {e.Message}",
                nameof(FanoutRuntimeOptions.ConnectionString), e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException("ConnectionString names no Host", nameof(FanoutRuntimeOptions.ConnectionString));
        return builder;
    }

    private static string Describe(Exception e) => e switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        OperationCanceledException or TimeoutException => "no answer in time",
        _ => e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message,
    };

    /// <summary>Closing the session releases its advisory lock.</summary>
    private sealed class StartupLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
