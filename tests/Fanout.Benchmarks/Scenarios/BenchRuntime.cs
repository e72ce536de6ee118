using Akka.Persistence;
using Fanout.Benchmarks.Measurement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>Which journal a benchmark runtime writes to.</summary>
internal enum JournalKind
{
    /// <summary>Fanout's default: Akka.Persistence.Sql on a SQLite file.</summary>
    Sqlite,

    /// <summary>Akka.Persistence's in-memory journal and snapshot store, laid over the default through AkkaConfig.</summary>
    Memory,

    /// <summary>Akka.Persistence.Sql on a PostgreSQL database (FanoutJournal.PostgreSql), as a cluster's nodes share one.</summary>
    PostgreSql,
}

/// <summary>
/// A fresh embedded Fanout runtime on a SQLite file of its own (or a PostgreSQL database of its own), so
/// that no scenario sees another's runs, entities or journal. Disposing it stops the runtime and deletes
/// the file; a PostgreSQL database belongs to the scenario, which drops it.
/// </summary>
internal sealed class BenchRuntime : IAsyncDisposable
{
    private const string InMemoryJournal = """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        # Fanout's run actors and sharding name their plugins (fanout.persistence.*), not the defaults.
        fanout.persistence.journal-plugin-id = "akka.persistence.journal.inmem"
        fanout.persistence.snapshot-plugin-id = "akka.persistence.snapshot-store.inmem"
        """;

    private bool _stopped;
    private readonly bool _keepFile;

    private BenchRuntime(FanoutRuntime fanout, string location, JournalKind journal, bool keepFile)
    {
        Fanout = fanout;
        Location = location;
        Journal = journal;
        _keepFile = keepFile;
    }

    public FanoutRuntime Fanout { get; }

    /// <summary>The SQLite file's path, or the PostgreSQL database's connection string.</summary>
    public string Location { get; }

    public JournalKind Journal { get; }

    /// <exception cref="InvalidOperationException">The runtime did not pick up the requested journal.</exception>
    /// <param name="journal">Where the runtime journals.</param>
    /// <param name="location">The SQLite file's path (for the in-memory journal too: it must stay empty), or the PostgreSQL connection string.</param>
    /// <param name="cancellationToken">Stops waiting for the runtime to come up.</param>
    /// <param name="keepFile">Leave the file when disposed: a second runtime reopening another's journal.</param>
    /// <param name="loggerFactory">Where the runtime logs (default: nowhere).</param>
    public static async Task<BenchRuntime> StartAsync(JournalKind journal, string location, CancellationToken cancellationToken,
        bool keepFile = false, ILoggerFactory? loggerFactory = null)
    {
        var postgres = journal == JournalKind.PostgreSql;
        var options = new FanoutRuntimeOptions
        {
            Journal = postgres ? FanoutJournal.PostgreSql : FanoutJournal.Sqlite,
            ConnectionString = postgres ? location : null,
            AkkaConfig = journal == JournalKind.Memory ? InMemoryJournal : null,
            LoggerFactory = loggerFactory,
        };
        if (!postgres) options.DatabasePath = location;
        var fanout = await FanoutRuntime.StartEmbeddedAsync(options, cancellationToken);
        var runtime = new BenchRuntime(fanout, location, journal, keepFile);
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
    public JournalSize ReadJournal() =>
        Journal == JournalKind.PostgreSql ? PostgresJournalStats.Read(Location) : JournalStats.Read(Location);

    /// <summary>How many runs the journal knows, finished or not (none for the in-memory journal).</summary>
    public long CountRuns() => Journal switch
    {
        JournalKind.PostgreSql => PostgresJournalStats.RunCount(Location),
        JournalKind.Sqlite => JournalStats.RunCount(Location),
        _ => 0,
    };

    /// <summary>Leaves the cluster and stops the actor system, so every journal write has landed.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await Fanout.DisposeAsync();
        // The journal's pooled connections would otherwise keep the deleted file's space in use, or the
        // database that is about to be dropped open.
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_keepFile && Journal != JournalKind.PostgreSql) TempFolder.DeleteDatabase(Location);
    }

    /// <summary>
    /// Akka.NET names a persistence plugin's actor after the plugin's config path, so the actor of the journal
    /// Fanout's run actors name (fanout.persistence.journal-plugin-id) says which plugin the configuration resolved to.
    /// </summary>
    private void CheckJournalPlugin()
    {
        // SQLite and PostgreSQL are both Akka.Persistence.Sql under Fanout's own plugin id: the provider comes from
        // FanoutRuntimeOptions.Journal.
        var expected = Journal == JournalKind.Memory ? "akka.persistence.journal.inmem" : "fanout.persistence.journal";
        var pluginId = Fanout.ActorSystem.Settings.Config.GetString("fanout.persistence.journal-plugin-id", "");
        var actual = Persistence.Instance.Apply(Fanout.ActorSystem).JournalFor(pluginId).Path.Name;
        if (actual != expected)
            throw new InvalidOperationException($"the {Journal} runtime's journal is '{actual}', not '{expected}'");
    }
}
