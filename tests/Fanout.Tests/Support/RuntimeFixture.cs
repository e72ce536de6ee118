namespace Fanout.Tests.Support;

/// <summary>
/// One embedded runtime (a real one-node cluster, on a temporary SQLite file unless a subclass picks
/// another journal) shared by the end-to-end specs, with every message checked for serializability as
/// if it crossed a node.
/// </summary>
public class RuntimeFixture : IAsyncLifetime
{
    // Also binds the journal's local-only message, which serialize-messages would otherwise fail on.
    private const string TestAkkaConfig = "akka.actor.serialize-messages = on\n" + LocalOnlySerializer.Hocon;

    private readonly FanoutJournal _journalKind;
    private TestJournal? _journal;

    public RuntimeFixture() : this(FanoutJournal.Sqlite)
    {
    }

    protected RuntimeFixture(FanoutJournal journal) => _journalKind = journal;

    public FanoutRuntime Runtime { get; private set; } = null!;

    public static FanoutRuntimeOptions TestOptions(string databasePath) => new()
    {
        DatabasePath = databasePath,
        AkkaConfig = TestAkkaConfig,
    };

    /// <summary>The same test settings on a PostgreSQL journal.</summary>
    public static FanoutRuntimeOptions PostgresTestOptions(string connectionString) => new()
    {
        Journal = FanoutJournal.PostgreSql,
        ConnectionString = connectionString,
        AkkaConfig = TestAkkaConfig,
    };

    public async Task InitializeAsync()
    {
        _journal = await TestJournal.CreateAsync(_journalKind);
        Runtime = await FanoutRuntime.StartEmbeddedAsync(_journal.Options());
    }

    public async Task DisposeAsync()
    {
        // Either may be missing when the start failed.
        if (Runtime is not null) await Runtime.DisposeAsync();
        if (_journal is not null) await _journal.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RuntimeCollection : ICollectionFixture<RuntimeFixture>
{
    public const string Name = "embedded runtime";
}
