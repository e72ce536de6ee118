namespace Fanout.TestKit;

/// <summary>
/// Remoting over Akka's in-process test transport instead of TCP: the node's cluster, sharding and singleton work as
/// on a real node, but no socket is opened. Each runtime gets its own registry and address, so runtimes of tests
/// running in parallel never see each other.
/// </summary>
internal static class TestTransportHocon
{
    public static string For(string systemName)
    {
        var id = Guid.NewGuid().ToString("N");
        return $$"""
            # A cluster of one: its leader moves it to Up on start and out on leave at these intervals, so short ones
            # take most of the wait out of a test runtime's start and stop.
            akka.cluster {
              gossip-interval = 50ms
              leader-actions-interval = 50ms
              periodic-tasks-initial-delay = 0s
              sharding.retry-interval = 50ms
            }
            akka.remote {
              enabled-transports = ["akka.remote.test"]
              test {
                transport-class = "Akka.Remote.Transport.TestTransport, Akka.Remote"
                applied-adapters = []
                registry-key = "{{id}}"
                local-address = "test://{{systemName}}@test-{{id}}:2552"
                maximum-payload-bytes = {{Fanout.Protocol.WireLimits.FrameBytes}}b
                scheme-identifier = test
              }
            }
            """;
    }
}
