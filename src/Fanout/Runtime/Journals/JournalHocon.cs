using Akka.Actor;
using Akka.Configuration;

namespace Fanout.Runtime.Journals;

/// <summary>Akka.Persistence.Sql's journal and snapshot store on the node's database, for the runtime and for <see cref="JournalSchema.MigrateAsync"/>.</summary>
internal static class JournalHocon
{
    /// <param name="journal">The database.</param>
    /// <param name="createTables">
    /// Whether the plugins create their tables when missing (<c>auto-initialize</c>). Off, they never issue DDL,
    /// so a node may connect as a role that has no right to create tables (<see cref="FanoutRuntimeOptions.CreateSchema"/>).
    /// </param>
    /// <param name="asDefault">
    /// Whether Fanout's plugins are also the actor system's default ones (Fanout's own actor systems). An app's actor
    /// system (Fanout.Hosting) keeps its own defaults: Fanout's actors name Fanout's plugins.
    /// </param>
    public static Config Build(JournalConnection journal, bool createTables, bool asDefault = true)
    {
        var connection = Escape(journal.ConnectionString);
        var initialize = createTables ? "on" : "off";
        var defaults = asDefault
            ? $$"""
              akka.persistence.journal.plugin = "{{JournalPluginId}}"
              akka.persistence.snapshot-store.plugin = "{{SnapshotPluginId}}"
              """
            : "";
        return ConfigurationFactory.ParseString($$"""
            {{defaults}}
            akka.persistence.max-concurrent-recoveries = 200
            fanout.persistence {
              # Read by the run actors and the runs' sharding (PluginIds).
              journal-plugin-id = "{{JournalPluginId}}"
              snapshot-plugin-id = "{{SnapshotPluginId}}"
              # Akka.Persistence.Sql's plugins under ids of Fanout's own, so an app's persistence on the same actor system
              # (its default plugins, or its own akka.persistence.journal.sql) is neither used nor changed by Fanout.
              journal {
                class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                connection-string = "{{connection}}"
                provider-name = "{{journal.ProviderName}}"
                auto-initialize = {{initialize}}
                # Once the database is back, runs resume when the breaker lets a call through: Akka's 30 s
                # (60 s for snapshots, which recovery reads first) held them that long after an outage.
                circuit-breaker.reset-timeout = 5s
              }
              snapshot-store {
                class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                connection-string = "{{connection}}"
                provider-name = "{{journal.ProviderName}}"
                auto-initialize = {{initialize}}
                circuit-breaker.reset-timeout = 5s
              }
            }
            """);
    }

    /// <summary>The id of Fanout's journal plugin.</summary>
    public const string JournalPluginId = "fanout.persistence.journal";

    /// <summary>The id of Fanout's snapshot store plugin.</summary>
    public const string SnapshotPluginId = "fanout.persistence.snapshot-store";

    /// <summary>
    /// The plugin ids Fanout's persistent actors use on <paramref name="system"/>: Fanout's own where its HOCON is in the
    /// configuration, else (actor specs with an in-memory journal) empty, which means the actor system's defaults.
    /// </summary>
    public static (string Journal, string Snapshot) PluginIds(ActorSystem system) =>
        (system.Settings.Config.GetString("fanout.persistence.journal-plugin-id", ""),
         system.Settings.Config.GetString("fanout.persistence.snapshot-plugin-id", ""));

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
