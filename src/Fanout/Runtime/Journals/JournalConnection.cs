namespace Fanout.Runtime.Journals;

/// <summary>
/// The journal a node will use, checked before the actor system starts: a bad path or connection string
/// is an error that names the setting, not a persistence failure deep in the first run.
/// </summary>
internal sealed class JournalConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable? _startupLock;

    private JournalConnection(string connectionString, string providerName, string description, IAsyncDisposable? startupLock)
    {
        ConnectionString = connectionString;
        ProviderName = providerName;
        Description = description;
        _startupLock = startupLock;
    }

    /// <summary>The connection string Akka.Persistence.Sql gets.</summary>
    public string ConnectionString { get; }

    /// <summary>Akka.Persistence.Sql's (linq2db's) provider name.</summary>
    public string ProviderName { get; }

    /// <summary>Where the journal is, without secrets, for logs.</summary>
    public string Description { get; }

    /// <exception cref="ArgumentException">The SQLite path cannot be opened.</exception>
    /// <exception cref="FanoutException">PostgreSQL cannot be reached with the connection string.</exception>
    public static async Task<JournalConnection> OpenAsync(FanoutRuntimeOptions options, CancellationToken ct)
    {
        if (options.Journal == FanoutJournal.Sqlite)
        {
            if (options.Hooks.SqliteConnectionString is { } inMemory)
                return new JournalConnection(inMemory, "SQLite.MS", "in-memory SQLite", null);
            var sqlite = SqliteJournal.Prepare(options.DatabasePath);
            return new JournalConnection(sqlite, "SQLite.MS", Path.GetFullPath(options.DatabasePath), null);
        }

        var (connectionString, description, startupLock) = await PostgresJournal.PrepareAsync(options.ConnectionString!, ct)
            .ConfigureAwait(false);
        return new JournalConnection(connectionString, "PostgreSQL.15", description, startupLock);
    }

    /// <summary>
    /// The journal <see cref="OpenAsync"/> will open, with the same connection string, without touching the database:
    /// for the HOCON of an actor system that exists before the node opens its journal (Fanout.Hosting).
    /// </summary>
    /// <exception cref="ArgumentException">The PostgreSQL connection string is malformed.</exception>
    public static JournalConnection Plan(FanoutRuntimeOptions options) => options.Journal == FanoutJournal.Sqlite
        ? new JournalConnection(SqliteJournal.ConnectionString(options.DatabasePath), "SQLite.MS", Path.GetFullPath(options.DatabasePath), null)
        : new JournalConnection(PostgresJournal.ConnectionString(options.ConnectionString!), "PostgreSQL.15", "PostgreSQL", null);

    /// <summary>
    /// A journal that is only read (<c>fanout ui</c>): no preparation, no start-up lock, nothing created. The caller
    /// makes the connection string read-only.
    /// </summary>
    public static JournalConnection ForReading(string connectionString, string providerName, string description) =>
        new(connectionString, providerName, description, null);

    /// <summary>
    /// Lets the next node start: nodes starting together against a new PostgreSQL database would race to
    /// create the journal's tables, so each holds a lock until its first journal access has made them.
    /// </summary>
    public ValueTask DisposeAsync() => _startupLock?.DisposeAsync() ?? ValueTask.CompletedTask;
}
