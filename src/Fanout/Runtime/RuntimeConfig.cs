using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Fanout.Clustering;
using Fanout.Runtime.Journals;
using Microsoft.Extensions.Logging;

namespace Fanout.Runtime;

/// <summary>Turns <see cref="FanoutRuntimeOptions"/> into the actor system's HOCON, in one place.</summary>
internal static class RuntimeConfig
{
    /// <summary>The HOCON of a runtime node: a cluster member with the worker role that hosts runs and runs actions.</summary>
    /// <param name="options">The node's settings.</param>
    /// <param name="journal">Where it journals.</param>
    /// <param name="hosted">
    /// For an app's actor system (Fanout.Hosting): Fanout's persistence plugins are not made its defaults, and Akka's
    /// log goes to the options' logger factory only when they have one (else the app's own Akka logging settings apply).
    /// </param>
    public static Config Build(FanoutRuntimeOptions options, JournalConnection journal, bool hosted = false)
    {
        var bridgeLogs = !hosted || options.LoggerFactory is not null;
        var roles = new[] { FanoutRoles.Worker, FanoutRoles.Core }.Concat(options.Roles).Distinct(StringComparer.Ordinal);
        var hocon = ClusterHocon(options.AkkaLogLevel, options.Hostname, options.PublicHostname, options.Port, roles,
                        options.JoinTimeout, tls: options.RemoteTls is not null, bridgeLogs) + $$"""
            akka {
              cluster {
                sharding {
            {{ShardingHocon}}
                }
              }

              # The executor's drain (FanoutRuntimeOptions.DrainTimeout) runs in this phase.
              coordinated-shutdown.phases.before-cluster-shutdown.timeout = {{(int)options.DrainTimeout.TotalSeconds + 10}}s
            }
            """;
        // The journal's settings sit under the operator's AkkaConfig, like everything else here.
        var config = WithUserConfig(
            ConfigurationFactory.ParseString(hocon).WithFallback(JournalHocon.Build(journal, options.CreateSchema, asDefault: !hosted)),
            options.AkkaConfig, nameof(FanoutRuntimeOptions.AkkaConfig));
        return config.WithFallback(ShardingDefaults).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    // What Fanout's run region needs of sharding, whatever else the actor system's sharding settings say.
    private const string ShardingHocon = $"""
                  role = "{FanoutRoles.Worker}"
                  state-store-mode = ddata
                  remember-entities-store = eventsourced
                  # Durable ddata (LMDB) crashes with the LightningDB version served here (NOTES-akka.md);
                  # remembered runs are kept by the eventsourced store instead.
                  distributed-data.durable.keys = []
                  passivate-idle-entity-after = 120s
                  # Akka's default writes the coordinator's state to a majority plus 3 nodes: with 3 workers,
                  # every one of them, so one worker that is dead but not yet removed, or one lost message,
                  # held the coordinator (and every region asking it where a shard lives) for minutes in the
                  # chaos harness. A majority is what keep-majority downing guarantees anyway.
                  coordinator-state.write-majority-plus = 0
            """;

    /// <summary>
    /// The run region's sharding settings. On Fanout's own actor system they are the system's (Fanout's, under the
    /// operator's AkkaConfig); on an app's (<paramref name="hosted"/>), Fanout's are laid over the app's sharding settings,
    /// which are meant for the app's own regions.
    /// </summary>
    public static Akka.Cluster.Sharding.ClusterShardingSettings ShardingSettings(ActorSystem system, bool hosted)
    {
        if (!hosted) return Akka.Cluster.Sharding.ClusterShardingSettings.Create(system);
        var sharding = ConfigurationFactory.ParseString(ShardingHocon).WithFallback(system.Settings.Config.GetConfig("akka.cluster.sharding"));
        return Akka.Cluster.Sharding.ClusterShardingSettings.Create(sharding, system.Settings.Config.GetConfig("akka.cluster.singleton"));
    }

    /// <summary>The HOCON of an app's client member: no runs, no actions, no journal.</summary>
    /// <param name="options">The client's settings.</param>
    /// <param name="hosted">For an app's actor system: Akka's log goes to the options' logger factory only when they have one.</param>
    public static Config BuildClient(FanoutClientOptions options, bool hosted = false) =>
        WithUserConfig(
            ConfigurationFactory.ParseString(ClusterHocon(options.AkkaLogLevel, options.Hostname, options.PublicHostname,
                options.Port, [FanoutRoles.Client], options.JoinTimeout, tls: options.RemoteTls is not null,
                bridgeLogs: !hosted || options.LoggerFactory is not null)),
            options.AkkaConfig, nameof(FanoutClientOptions.AkkaConfig)).WithFallback(ShardingDefaults);

    // Sharding's and Distributed Data's serializers must be known from the first moment a node is in the
    // cluster: other nodes' replicators talk to it before its own sharding extension has started.
    /// <summary>The actor system's setup: its HOCON and logging, and with remoting TLS on, the certificates (loaded and checked here).</summary>
    /// <exception cref="ArgumentException">A TLS file is bad; the message names the setting.</exception>
    public static ActorSystemSetup Setup(Config config, LoggerFactorySetup logging, RemoteTlsOptions? tls)
    {
        var setup = BootstrapSetup.Create().WithConfig(config).And(logging);
        // The certificates live as long as the actor system: its transport holds them.
        return tls is null ? setup : setup.And(tls.Load().Setup());
    }

    /// <summary>
    /// Checks an actor system Fanout did not create (an app's, built by Akka.Hosting) before Fanout starts on it: the
    /// name the options' seeds use, and that the app's settings kept Fanout's cluster roles (an app's
    /// <c>akka.cluster.roles</c> replaces the list Fanout lays under it).
    /// </summary>
    /// <exception cref="FanoutException">It is not; the message says what to change.</exception>
    public static void CheckHostedSystem(ActorSystem system, string systemName, string optionsType, IReadOnlyList<string> roles)
    {
        if (system.Name != systemName)
            throw new FanoutException(
                $"{optionsType}.SystemName is '{systemName}' but the actor system is named '{system.Name}' (AddAkka's name): " +
                $"set SystemName to '{system.Name}' (every member of the cluster, and its seed addresses, use that name)");
        var own = Akka.Cluster.Cluster.Get(system).SelfRoles;
        var missing = roles.Where(role => !own.Contains(role)).ToList();
        if (missing.Count > 0)
            throw new FanoutException(
                $"The actor system's cluster roles [{string.Join(", ", own)}] lack Fanout's [{string.Join(", ", missing)}]: the app's " +
                $"akka.cluster.roles (ClusterOptions.Roles) replaces Fanout's list, so add {string.Join(" and ", missing.Select(r => $"\"{r}\""))} to it");
    }

    private static Config ShardingDefaults =>
        Akka.Cluster.Sharding.ClusterSharding.DefaultConfig()
            .WithFallback(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig())
            .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());

    /// <summary>
    /// What every Fanout member shares: remoting, Fanout's serializer, and failure detection and downing
    /// tuned for a workflow runtime (see the README's "Failure detection" section for the trade-off).
    /// </summary>
    private static string ClusterHocon(LogLevel logLevel, string hostname, string? publicHostname, int port,
        IEnumerable<string> roles, TimeSpan joinTimeout, bool tls, bool bridgeLogs) => $$"""
        akka {
          loglevel = {{AkkaLevel(logLevel)}}
          {{(bridgeLogs ? "stdout-loglevel = OFF" : "")}}
          {{(bridgeLogs ? "loggers = [\"Fanout.Runtime.AkkaLoggerBridge, Fanout\"]" : "")}}
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

          # Failure detection must not wait behind task bodies. By default every Akka dispatcher runs on the
          # .NET thread pool, the one bodies run on; a hundred bodies blocking their threads (Thread.Sleep,
          # synchronous I/O) made heartbeats late by ~2.4 s and got a healthy worker marked unreachable.
          # Cluster membership (heartbeats, gossip, the split-brain resolver) and remoting run on threads
          # of their own instead (README: "Failure detection").
          remote.use-dispatcher = fanout.remote-dispatcher
          cluster.use-dispatcher = fanout.cluster-dispatcher

          remote.dot-netty.tcp {
            hostname = "{{Escape(hostname)}}"
            {{(AdvertisedHostname(hostname, publicHostname) is { } advertised ? $"public-hostname = \"{Escape(advertised)}\"" : "")}}
            port = {{port}}
            # Akka's default on Linux lets a second node bind the same port (SO_REUSEPORT), which
            # silently splits traffic between two processes; a port in use must be an error.
            tcp-reuse-addr = off
            # Room for one payload at MaxPayloadBytes (at most 3 MiB) plus its envelope (WireLimits).
            maximum-frame-size = {{Fanout.Protocol.WireLimits.FrameBytes}}b
            send-buffer-size = 4194304b
            receive-buffer-size = 4194304b
            # Mutual TLS (RemoteTlsOptions): the certificate and the check of peers come with the actor system's setup.
            {{(tls ? Clustering.RemoteTlsCertificates.TransportHocon.Replace("\n", "\n            ") : "enable-ssl = off")}}
          }

          cluster {
            roles = [{{string.Join(", ", roles.Select(r => $"\"{r}\""))}}]
            min-nr-of-members = 1
            run-coordinated-shutdown-when-down = on
            # Keep the side with most members when the cluster splits: a workflow runtime would rather stop
            # a minority than run actions twice. Only workers and lighthouses count: app clients come and go
            # and may outnumber them (three frozen apps must not outvote two workers); a client on the losing
            # side is downed with it. Every member must count the same way. Defaults took ~47 s from a node's
            # death to work resuming; these and the removal settings below take ~11-12.5 s (README: "Losing
            # nodes"), at the price of downing a node that stalls (long GC, saturated host) for more than ~7 s.
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver {
              active-strategy = keep-majority
              keep-majority.role = "{{FanoutRoles.Core}}"
              stable-after = 5s
            }
            failure-detector.acceptable-heartbeat-pause = 2s
            # A dead node's runs resume only after it is removed from the cluster plus this margin: the shard
            # coordinator (and a singleton that must move) waits it before starting the node's shards elsewhere.
            # Unset, it defaults to stable-after (5 s), the longest single wait between a kill and a moved run
            # resuming (LedgerKillTimingSpecs). It is meant to let a cut-off minority stop its persistent
            # actors first, but a downed Fanout node runs its whole coordinated shutdown (the executor's drain,
            # up to DrainTimeout, then the region's hand-off), so 5 s never bought that. What keeps a run's
            # ledger from forking if two incarnations overlap is the journal: its key on (persistence id,
            # sequence number) fails the later write, and that incarnation stops and recovers. 1 s, not less:
            # a little slack for a cut-off node that downs itself at about the same moment (0 or off would
            # mean stable-after again).
            down-removal-margin = 1s
            # Gossip and the leader's removal: a downed node was removed ~2 s after the decision (seen by every
            # member over 1 s gossip rounds, then the leader's 1 s tick). Half a second each halves that; both
            # carry a few KB on a cluster of this size. The reaper only reads the failure detector, so checking
            # it twice a second marks a dead node sooner without marking a live one any more easily.
            gossip-interval = 500ms
            leader-actions-interval = 500ms
            unreachable-nodes-reaper-interval = 500ms
            # Seeds none of which answers must end the start, not leave the node trying forever.
            shutdown-after-unsuccessful-join-seed-nodes = {{Math.Max(1, (int)Math.Ceiling(joinTimeout.TotalSeconds))}}s
          }
          coordinated-shutdown.exit-clr = off
        }

        fanout {
          cluster-dispatcher {
            type = Dispatcher
            executor = fork-join-executor
            fork-join-executor { parallelism-min = 2, parallelism-max = 2 }
            throughput = 30
          }
          remote-dispatcher {
            type = Dispatcher
            executor = fork-join-executor
            fork-join-executor { parallelism-min = 2, parallelism-max = 2 }
            throughput = 30
          }
        }

        """;

    // A node listening on every interface must tell the others a name they can reach: the machine's.
    private static string? AdvertisedHostname(string hostname, string? publicHostname) =>
        publicHostname ?? (hostname is "0.0.0.0" or "::" or "[::]" ? System.Net.Dns.GetHostName() : null);

    private static Config WithUserConfig(Config config, string? userHocon, string setting)
    {
        if (string.IsNullOrWhiteSpace(userHocon)) return config;
        Config extra;
        try
        {
            extra = ConfigurationFactory.ParseString(userHocon);
        }
        catch (Exception e)
        {
            throw new ArgumentException($"{setting} is not valid HOCON: {e.Message}", setting, e);
        }
        return extra.WithFallback(config);
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
