using Akka.Actor;
using Akka.Configuration;
using Fanout.ClusterApp;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Tls.Support;

/// <summary>
/// A process that is not a member (Akka.Remote only, never joins) sending Fanout's own messages straight to a
/// worker's run region and executor, as an attacker who knows the protocol would: a run start, and an attempt
/// of a leaf task (which writes a trace line wherever it runs). With TLS from another CA, or with no TLS, nothing
/// may arrive; with a certificate from the cluster's CA it does (the control that shows the probe works).
/// </summary>
internal sealed class RemotingProbe : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly string _scheme;

    private RemotingProbe(ActorSystem system, string scheme, LogLines log)
    {
        _system = system;
        _scheme = scheme;
        Log = log;
    }

    /// <summary>What this probe's actor system logged (its failed associations, for one).</summary>
    public LogLines Log { get; }

    public static RemotingProbe Start(RemoteTlsOptions? tls)
    {
        // The client's HOCON (Fanout's serializer, remoting, TLS) with the cluster provider swapped for plain remoting.
        var options = new FanoutClientOptions { RemoteTls = tls };
        var config = ConfigurationFactory.ParseString("akka.actor.provider = remote").WithFallback(RuntimeConfig.BuildClient(options));
        var log = new LogLines();
        var system = ActorSystem.Create("fanout", RuntimeConfig.Setup(config, new LoggerFactorySetup(log.Factory()), tls));
        return new RemotingProbe(system, tls is null ? "akka.tcp" : "akka.ssl.tcp", log);
    }

    /// <summary>The worker's address as this probe's transport can reach it: the same host and port, the probe's scheme.</summary>
    public string Target(string workerAddress) => _scheme + workerAddress[workerAddress.IndexOf("://", StringComparison.Ordinal)..];

    /// <summary>Sends a start of run <paramref name="runId"/> and an attempt of leaf <paramref name="leaf"/> to the worker.</summary>
    public void Send(string workerAddress, string runId, int leaf)
    {
        var target = Target(workerAddress);
        _system.ActorSelection($"{target}/system/sharding/{ShardRegions.Runs}")
            .Tell(new StartRun(runId, ClusterTasks.FanOut.Name, PayloadJson.Serialize(new Fan(2, 0)),
                CallOptions.From(ClusterTasks.FanOut.Options, ClusterTasks.FanOut.Environment.Role)));
        _system.ActorSelection($"{target}/user/{Clustering.ExecutorDirectory.ExecutorName}")
            .Tell(new ExecuteActions([new ExecuteAction($"{runId}/leaf", runId, ClusterTasks.Leaf.Name, PayloadJson.Serialize(new Fan(leaf, 0)), 1, 60_000)]));
    }

    public async ValueTask DisposeAsync() => await _system.Terminate();
}
