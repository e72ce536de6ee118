using Akka.Actor;
using Akka.Configuration;
using Fanout.Runtime.Index;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Runtime.Journals;

/// <summary>
/// The tables a node needs: Akka.Persistence.Sql's journal and snapshot store, and the runs index. A node either creates
/// them as it starts (<see cref="FanoutRuntimeOptions.CreateSchema"/>, the default) or finds them made beforehand by
/// <see cref="MigrateAsync"/> (<c>Fanout.Node migrate</c>), run once as a role that may create tables.
/// </summary>
internal static class JournalSchema
{
    /// <summary>What an operator runs to make the tables (the node's program, its first argument).</summary>
    public const string MigrateCommand = "fanout-node migrate";

    // Room for the plugins' own connection attempts and a retry of their initialization.
    private static readonly TimeSpan PluginInitializationTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Creates every table that is missing, with the same statements a node that creates its schema runs: the runs
    /// index's own, and Akka.Persistence.Sql's, which its plugins run when they start with auto-initialize on. Tables
    /// that exist are left alone, so running it again changes nothing. Returns where the tables are, for a message.
    /// </summary>
    /// <exception cref="FanoutException">The database cannot be reached, or a table could not be created (the message names it).</exception>
    public static async Task<string> MigrateAsync(FanoutRuntimeOptions options, CancellationToken ct)
    {
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        // Holds the start-up lock nodes take, so a node starting meanwhile never sees half a schema.
        await using var journal = await JournalConnection.OpenAsync(options, ct).ConfigureAwait(false);
        var runsIndex = new RunsIndexStore(RunsIndexDatabase.For(journal));
        await CreateRunsIndexAsync(runsIndex, journal, ct).ConfigureAwait(false);
        await InitializePluginsAsync(journal, loggerFactory, ct).ConfigureAwait(false);

        var missing = await MissingTablesAsync(runsIndex.Database, ct).ConfigureAwait(false);
        if (missing.Count > 0)
            throw new FanoutException(
                $"The journal's plugins started but the table(s) {string.Join(", ", missing)} are still missing in {journal.Description}; " +
                "the log above has the database's answer (may this role create tables in the schema?)");
        return journal.Description;
    }

    /// <summary>Creates the runs index table (a node that creates its schema does this at every start).</summary>
    /// <exception cref="FanoutException">The database refused (no right to create tables, ...).</exception>
    public static async Task CreateRunsIndexAsync(RunsIndexStore runsIndex, JournalConnection journal, CancellationToken ct)
    {
        try
        {
            await runsIndex.CreateAsync(ct).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            throw new FanoutException($"The runs index table could not be created in the journal database {journal.Description}: {e.Message}", e);
        }
    }

    /// <summary>For a node that does not create its schema: fails naming the tables that are missing.</summary>
    /// <exception cref="FanoutException">A table is missing, or the database cannot be read.</exception>
    public static async Task EnsureExistsAsync(RunsIndexDatabase database, JournalConnection journal, CancellationToken ct)
    {
        IReadOnlyList<string> missing;
        try
        {
            missing = await MissingTablesAsync(database, ct).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            throw new FanoutException($"The journal database {journal.Description} could not be checked for its tables: {e.Message}", e);
        }
        if (missing.Count > 0)
            throw new FanoutException(
                $"The journal database {journal.Description} has no table(s) {string.Join(", ", missing)}, and this node does not create " +
                $"tables (CreateSchema is false; FANOUT_CREATE_SCHEMA=false for a node): run `{MigrateCommand}` first, as a database role " +
                "that may create tables, with the same FANOUT_JOURNAL and FANOUT_CONNECTION_STRING (or FANOUT_DB_PATH).");
    }

    private static async Task<IReadOnlyList<string>> MissingTablesAsync(RunsIndexDatabase database, CancellationToken ct)
    {
        var missing = new List<string>();
        await using (var journal = await database.OpenJournalAsync(ct).ConfigureAwait(false))
        {
            foreach (var table in JournalTables.All)
                if (!await database.TableExistsAsync(journal, table, ct).ConfigureAwait(false)) missing.Add(table);
        }
        await using var index = await database.OpenAsync(ct).ConfigureAwait(false);
        if (!await database.TableExistsAsync(index, RunsIndexStore.Table, ct).ConfigureAwait(false)) missing.Add(RunsIndexStore.Table);
        return missing;
    }

    /// <summary>
    /// Starts the journal and the snapshot store with auto-initialize on in an actor system of this process alone, and
    /// waits until both have answered a recovery: each creates its tables before it answers anything.
    /// </summary>
    private static async Task InitializePluginsAsync(JournalConnection journal, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var config = ConfigurationFactory.ParseString("""
                akka {
                  loglevel = WARNING
                  stdout-loglevel = OFF
                  loggers = ["Fanout.Runtime.AkkaLoggerBridge, Fanout"]
                  log-dead-letters = off
                  # Recovery waits for the plugins' initialization; the deadline below is the one that counts.
                  persistence.journal-plugin-fallback.recovery-event-timeout = 120s
                }
                """)
            .WithFallback(JournalHocon.Build(journal, createTables: true))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
        var setup = BootstrapSetup.Create().WithConfig(config).And(new LoggerFactorySetup(loggerFactory));
        using var system = ActorSystem.Create("fanout-migrate", setup);
        try
        {
            var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new SchemaProbe(recovered)), "schema-probe");
            await recovered.Task.WaitAsync(PluginInitializationTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new FanoutException(
                $"The journal's plugins did not create their tables in {journal.Description} within {PluginInitializationTimeout.TotalSeconds:0} s; " +
                "the log above has the database's answer (may this role create tables in the schema?)", e);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
