namespace Fanout.Tests.Support;

/// <summary>
/// The journal of a spec's own runtime, deleted on dispose: a SQLite file in a temporary folder, or a new
/// database on the test PostgreSQL server. One spec class runs on both by taking the kind as a parameter.
/// </summary>
public sealed class TestJournal : IAsyncDisposable
{
    private readonly TempDirectory? _folder;
    private readonly PostgresDatabase? _database;

    private TestJournal(TempDirectory? folder, PostgresDatabase? database)
    {
        _folder = folder;
        _database = database;
    }

    public static async Task<TestJournal> CreateAsync(FanoutJournal kind) => kind switch
    {
        FanoutJournal.Sqlite => new TestJournal(new TempDirectory(), null),
        FanoutJournal.PostgreSql => new TestJournal(null, await PostgresDatabase.CreateAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no test journal of this kind"),
    };

    /// <summary>New test options (<see cref="RuntimeFixture.TestOptions"/>) on this journal, for the spec to adjust.</summary>
    public FanoutRuntimeOptions Options() => _database is null
        ? RuntimeFixture.TestOptions(_folder!.File("fanout.db"))
        : RuntimeFixture.PostgresTestOptions(_database.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        _folder?.Dispose();
        if (_database is not null) await _database.DisposeAsync();
    }
}
