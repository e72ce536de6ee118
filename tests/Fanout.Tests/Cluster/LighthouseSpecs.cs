using System.Net;
using System.Net.Sockets;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cluster;

/// <summary>The lighthouse program as a real process on loopback: it forms or joins a cluster, leaves on SIGTERM, and refuses bad settings clearly.</summary>
public sealed class LighthouseSpecs
{
    private const string Program = "Fanout.Lighthouse.dll";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Dictionary<string, string> Env(int port, string seeds = "", params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["ACTORSYSTEM"] = "fanout", ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = $"{port}", ["CLUSTER_SEEDS"] = seeds,
        };
        foreach (var (key, value) in more) env[key] = value;
        return env;
    }

    [Fact]
    public async Task A_lighthouse_alone_forms_the_cluster_and_a_second_joins_it_then_both_leave_on_SIGTERM()
    {
        var (firstPort, secondPort) = (FreePort(), FreePort());
        var first = $"akka.tcp://fanout@127.0.0.1:{firstPort}";
        var second = $"akka.tcp://fanout@127.0.0.1:{secondPort}";
        using var one = HostProcess.Start(Program, Env(firstPort));
        Assert.StartsWith($"lighthouse up: {first} (seeds: {first})", await one.WaitForLineAsync("lighthouse up:", Within));

        using var two = HostProcess.Start(Program, Env(secondPort, seeds: first));
        Assert.StartsWith($"lighthouse up: {second} (seeds: {second}, {first})", await two.WaitForLineAsync("lighthouse up:", Within));
        // The first, the cluster's leader, moved the second to Up: they are one cluster, not two.
        await Eventually.True(() => one.Output.Contains($"Leader is moving node [{second}] to [Up]"), Within, "the first lighthouse to admit the second");

        two.Terminate();
        Assert.Equal(0, await two.WaitForExitAsync(Within));
        Assert.Contains($"lighthouse left the cluster: {second}", two.Output);
        // Left, not failed: the first saw it exiting (the leader's log says "moving ... to [Exiting]" or
        // "removing exiting node", depending on timing), never unreachable.
        try
        {
            await Eventually.True(() => LinesAbout(one, second).Any(line => line.Contains("xiting", StringComparison.Ordinal)), Within,
                "the first lighthouse to see the second leave");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}. What the first said of the second:\n{string.Join("\n", LinesAbout(one, second))}" +
                $"\nWhat the second said:\n{two.Output}", e);
        }
        Assert.DoesNotContain(LinesAbout(one, second), line => line.Contains("nreachable", StringComparison.OrdinalIgnoreCase));

        one.Terminate();
        Assert.Equal(0, await one.WaitForExitAsync(Within));
    }

    private static IEnumerable<string> LinesAbout(HostProcess host, string address) =>
        host.Output.Split(Environment.NewLine).Where(line => line.Contains(address, StringComparison.Ordinal));

    [Theory]
    [InlineData("CLUSTER_PORT", "abc", "CLUSTER_PORT 'abc' must be a port number from 1 to 65535")]
    [InlineData("CLUSTER_PORT", "70000", "CLUSTER_PORT '70000' must be a port number")]
    [InlineData("CLUSTER_SEEDS", "not-an-address", "CLUSTER_SEEDS entry 'not-an-address' is not an Akka.NET address")]
    [InlineData("CLUSTER_SEEDS", "akka.tcp://other@127.0.0.1:4053", "names actor system 'other', but ACTORSYSTEM is 'fanout'")]
    [InlineData("CLUSTER_SEEDS", "akka.tcp://fanout@127.0.0.1", "must be akka.tcp://fanout@host:port")]
    [InlineData("ACTORSYSTEM", "no spaces", "ACTORSYSTEM 'no spaces' must be letters, digits")]
    [InlineData("CLUSTER_IP", " ", "CLUSTER_IP is not set")]
    [InlineData("CLUSTER_JOIN_TIMEOUT", "0", "CLUSTER_JOIN_TIMEOUT '0' must be a whole number of seconds")]
    public async Task A_bad_setting_exits_with_code_2_and_a_message_naming_it(string key, string value, string message)
    {
        using var lighthouse = HostProcess.Start(Program, Env(FreePort(), more: (key, value)));

        Assert.Equal(2, await lighthouse.WaitForExitAsync(Within));
        Assert.Contains($"stderr: lighthouse: ", lighthouse.Output);
        Assert.Contains(message, lighthouse.Output);
    }

    [Fact]
    public async Task A_port_in_use_exits_with_code_1_and_says_so()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var lighthouse = HostProcess.Start(Program, Env(port));

        Assert.Equal(1, await lighthouse.WaitForExitAsync(Within));
        Assert.Contains($"stderr: lighthouse: cannot listen on 127.0.0.1:{port}", lighthouse.Output);
    }

    [Fact]
    public async Task Seeds_that_never_answer_end_the_process_with_code_1_instead_of_a_hang()
    {
        var (port, nobody) = (FreePort(), FreePort());
        var self = $"akka.tcp://fanout@127.0.0.1:{port}";
        var unreachable = $"akka.tcp://fanout@127.0.0.1:{nobody}";
        // Listed after an unreachable seed, the lighthouse may not start a cluster of its own: it must join.
        using var lighthouse = HostProcess.Start(Program, Env(port, seeds: $"{unreachable},{self}", ("CLUSTER_JOIN_TIMEOUT", "3")));

        Assert.Equal(1, await lighthouse.WaitForExitAsync(Within));
        Assert.Contains($"stderr: lighthouse: could not join any of the seed nodes [{unreachable}, {self}] within 3 s", lighthouse.Output);
        Assert.DoesNotContain("lighthouse up:", lighthouse.Output);
    }
}
