using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Extensions.Logging;

namespace Fanout.Runtime;

/// <summary>Turns <see cref="FanoutRuntimeOptions"/> into the actor system's HOCON, in one place.</summary>
internal static class RuntimeConfig
{
    public static Config Build(FanoutRuntimeOptions options, string sqliteConnectionString)
    {
        var hocon = $$"""
            akka {
              loglevel = {{AkkaLevel(options.AkkaLogLevel)}}
              stdout-loglevel = OFF
              loggers = ["Fanout.Runtime.AkkaLoggerBridge, Fanout"]
              logger-startup-timeout = 10s
              log-dead-letters = off
              log-dead-letters-during-shutdown = off

              actor {
                provider = cluster
                serializers.fanout = "Fanout.Protocol.FanoutSerializer, Fanout"
                serialization-bindings {
                  "Fanout.Protocol.IFanoutMessage, Fanout" = fanout
                }
                serialization-identifiers {
                  "Fanout.Protocol.FanoutSerializer, Fanout" = {{Fanout.Protocol.FanoutSerializer.Id}}
                }
              }

              remote.dot-netty.tcp {
                hostname = "127.0.0.1"
                port = {{options.Port}}
                # Akka's default on Linux lets a second node bind the same port (SO_REUSEPORT), which
                # silently splits traffic between two processes; a port in use must be an error.
                tcp-reuse-addr = off
                # Room for one payload at MaxPayloadBytes (at most 3 MiB) plus its envelope.
                maximum-frame-size = 4194304b
                send-buffer-size = 4194304b
                receive-buffer-size = 4194304b
              }

              cluster {
                min-nr-of-members = 1
                run-coordinated-shutdown-when-down = on
                sharding {
                  state-store-mode = ddata
                  remember-entities-store = eventsourced
                  # Durable ddata (LMDB) crashes with the LightningDB version served here (NOTES-akka.md);
                  # remembered runs are kept by the eventsourced store instead.
                  distributed-data.durable.keys = []
                  passivate-idle-entity-after = 120s
                }
              }

              persistence {
                max-concurrent-recoveries = 200
                journal {
                  plugin = "akka.persistence.journal.sql"
                  sql {
                    connection-string = "{{Escape(sqliteConnectionString)}}"
                    provider-name = "SQLite.MS"
                    auto-initialize = on
                  }
                }
                snapshot-store {
                  plugin = "akka.persistence.snapshot-store.sql"
                  sql {
                    connection-string = "{{Escape(sqliteConnectionString)}}"
                    provider-name = "SQLite.MS"
                    auto-initialize = on
                  }
                }
              }
            }
            """;

        var config = ConfigurationFactory.ParseString(hocon);
        if (!string.IsNullOrWhiteSpace(options.AkkaConfig))
        {
            Config extra;
            try
            {
                extra = ConfigurationFactory.ParseString(options.AkkaConfig);
            }
            catch (Exception e)
            {
                throw new ArgumentException($"AkkaConfig is not valid HOCON: {e.Message}", nameof(FanoutRuntimeOptions.AkkaConfig), e);
            }
            config = extra.WithFallback(config);
        }
        return config.WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private static string AkkaLevel(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.None => "OFF",
        _ => "ERROR",
    };

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
