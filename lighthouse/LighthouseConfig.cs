using Akka.Configuration;

namespace Fanout.Lighthouse;

/// <summary>The lighthouse's HOCON: a cluster member with the "lighthouse" role that hosts nothing.</summary>
internal static class LighthouseConfig
{
    /// <summary>
    /// The role of the members the split-brain resolver counts (workers and lighthouses, never app clients):
    /// Fanout's <c>FanoutRoles.Core</c>, which every member's keep-majority setting names alike.
    /// </summary>
    public const string CoreRole = "fanout-core";

    public static Config Build(LighthouseSettings settings)
    {
        var seeds = string.Join(", ", settings.Seeds.Select(seed => $"\"{seed}\""));
        return ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = INFO
              stdout-loglevel = INFO
              log-dead-letters = off
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "{{settings.Ip}}"
                port = {{settings.Port}}
                # A port in use must be an error, not a second process sharing it (SO_REUSEPORT).
                tcp-reuse-addr = off
                {{(settings.Tls is null ? "enable-ssl = off" : Fanout.Clustering.RemoteTlsCertificates.TransportHocon.Replace("\n", "\n                "))}}
              }
              cluster {
                roles = ["lighthouse", "{{CoreRole}}"]
                seed-nodes = [{{seeds}}]
                # Keep the side with most members when the cluster splits; a workflow runtime would rather
                # stop a minority than run actions twice. Only workers and lighthouses count, never app
                # clients; every member must count the same way (Fanout's RuntimeConfig does the same).
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  keep-majority.role = "{{CoreRole}}"
                  stable-after = 5s
                }
                failure-detector.acceptable-heartbeat-pause = 2s
                # The same gossip, leader and reaper intervals as every Fanout member (RuntimeConfig says why):
                # the lighthouse is often the leader, and then it is the one that removes a dead worker.
                gossip-interval = 500ms
                leader-actions-interval = 500ms
                unreachable-nodes-reaper-interval = 500ms
                run-coordinated-shutdown-when-down = on
                # A seed list naming no reachable node must end the process, not leave it trying forever.
                shutdown-after-unsuccessful-join-seed-nodes = {{settings.JoinTimeoutSeconds}}s
              }
              coordinated-shutdown.exit-clr = off
            }
            """);
    }
}
