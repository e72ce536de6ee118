using Akka.Persistence;
using Fanout.Benchmarks.Measurement;
using Microsoft.Data.Sqlite;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>Which journal a benchmark runtime writes to.</summary>
internal enum JournalKind
{
    /// <summary>Fanout's default: Akka.Persistence.Sql on a SQLite file.</summary>
    Sqlite,

    /// <summary>Akka.Persistence's in-memory journal and snapshot store, laid over the default through AkkaConfig.</summary>
    Memory,
}

/// <summary>
/// A fresh embedded Fanout runtime on a SQLite file of its own, so that no scenario sees another's
/// runs, entities or journal. Disposing it stops the runtime and deletes the file.
/// </summary>
internal sealed class BenchRuntime : IAsyncDisposable
{
    private const string InMemoryJournal = """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private bool _stopped;
    private readonly bool _keepFile;

    private BenchRuntime(FanoutRuntime fanout, string databasePath, JournalKind journal, bool keepFile)
    {
        Fanout = fanout;
        DatabasePath = databasePath;
        Journal = journal;
        _keepFile = keepFile;
    }

    public FanoutRuntime Fanout { get; }

    public string DatabasePath { get; }

    public JournalKind Journal { get; }

    /// <exception cref="InvalidOperationException">The runtime did not pick up the requested journal.</exception>
    /// <param name="keepFile">Leave the file when disposed: a second runtime reopening another's journal.</param>
    public static async Task<BenchRuntime> StartAsync(JournalKind journal, string databasePath, CancellationToken cancellationToken,
        bool keepFile = false)
    {
        var options = new FanoutRuntimeOptions
        {
            DatabasePath = databasePath,
            AkkaConfig = journal == JournalKind.Memory ? InMemoryJournal : null,
        };
        var fanout = await FanoutRuntime.StartEmbeddedAsync(options, cancellationToken);
        var runtime = new BenchRuntime(fanout, databasePath, journal, keepFile);
        try
        {
            runtime.CheckJournalPlugin();
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }
        return runtime;
    }

    /// <summary>What the journal table holds now (empty for the in-memory journal, which must leave the file alone).</summary>
    public JournalSize ReadJournal() => JournalStats.Read(DatabasePath);

    /// <summary>Leaves the cluster and stops the actor system, so every journal write has landed.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await Fanout.DisposeAsync();
        // The journal's pooled connections would otherwise keep the deleted file's space in use.
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_keepFile) TempFolder.DeleteDatabase(DatabasePath);
    }

    /// <summary>
    /// Akka.NET names a persistence plugin's actor after the plugin's config path, so the default
    /// journal's actor name says which plugin the configuration resolved to.
    /// </summary>
    private void CheckJournalPlugin()
    {
        var expected = Journal == JournalKind.Memory ? "akka.persistence.journal.inmem" : "akka.persistence.journal.sql";
        var actual = Persistence.Instance.Apply(Fanout.ActorSystem).JournalFor(null).Path.Name;
        if (actual != expected)
            throw new InvalidOperationException($"the {Journal} runtime's journal is '{actual}', not '{expected}'");
    }
}
