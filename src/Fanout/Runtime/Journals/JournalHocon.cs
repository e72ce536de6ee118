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
    public static Config Build(JournalConnection journal, bool createTables)
    {
        var connection = Escape(journal.ConnectionString);
        var initialize = createTables ? "on" : "off";
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              max-concurrent-recoveries = 200
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = "{{connection}}"
                  provider-name = "{{journal.ProviderName}}"
                  auto-initialize = {{initialize}}
                  # Once the database is back, runs resume when the breaker lets a call through: Akka's 30 s
                  # (60 s for snapshots, which recovery reads first) held them that long after an outage.
                  circuit-breaker.reset-timeout = 5s
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = "{{connection}}"
                  provider-name = "{{journal.ProviderName}}"
                  auto-initialize = {{initialize}}
                  circuit-breaker.reset-timeout = 5s
                }
              }
            }
            """);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
