namespace Fanout.Tests.Support;

/// <summary>
/// One embedded runtime (a real one-node cluster on a temporary SQLite file) shared by the end-to-end
/// specs, with every message checked for serializability as if it crossed a node.
/// </summary>
public sealed class RuntimeFixture : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();

    public FanoutRuntime Runtime { get; private set; } = null!;

    public static FanoutRuntimeOptions TestOptions(string databasePath) => new()
    {
        DatabasePath = databasePath,
        AkkaConfig = "akka.actor.serialize-messages = on\n" + LocalOnlySerializer.Hocon,
    };

    public async Task InitializeAsync() =>
        Runtime = await FanoutRuntime.StartEmbeddedAsync(TestOptions(_folder.File("fanout.db")));

    public async Task DisposeAsync()
    {
        await Runtime.DisposeAsync();
        _folder.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RuntimeCollection : ICollectionFixture<RuntimeFixture>
{
    public const string Name = "embedded runtime";
}
