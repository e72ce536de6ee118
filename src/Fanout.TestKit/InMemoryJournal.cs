using Microsoft.Data.Sqlite;

namespace Fanout.TestKit;

/// <summary>
/// A SQLite database in memory, private to one test runtime: the real journal and runs index code runs against it,
/// and nothing touches the disk. Shared-cache in-memory databases live while a connection is open, so this holds
/// one open until the runtime has stopped.
/// </summary>
internal sealed class InMemoryJournal : IAsyncDisposable
{
    private readonly SqliteConnection _keepAlive;

    private InMemoryJournal(string connectionString, SqliteConnection keepAlive)
    {
        ConnectionString = connectionString;
        _keepAlive = keepAlive;
    }

    public string ConnectionString { get; }

    public static InMemoryJournal Open()
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = $"fanout-test-{Guid.NewGuid():N}",
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        var keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        return new InMemoryJournal(connectionString, keepAlive);
    }

    public ValueTask DisposeAsync() => _keepAlive.DisposeAsync();
}
