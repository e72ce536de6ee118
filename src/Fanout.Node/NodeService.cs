using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Node;

/// <summary>
/// Runs the node's <see cref="FanoutRuntime"/> for the host: starts it (joining the cluster), and on
/// SIGTERM or Ctrl-C disposes it, which hands its attempts and runs to other nodes and leaves the cluster.
/// A node asked to leave by an operator drains the same way and exits 0; a node the cluster downs (or that
/// stops by itself) stops the host with exit code 1.
/// </summary>
internal sealed class NodeService(FanoutRuntimeOptions options, IHostApplicationLifetime lifetime, ILogger<NodeService> log)
    : IHostedService
{
    private FanoutRuntime? _runtime;
    private volatile bool _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _runtime = await FanoutRuntime.StartEmbeddedAsync(options, cancellationToken);
        var cluster = Cluster.Get(_runtime.ActorSystem);
        Console.WriteLine($"fanout node up: {cluster.SelfAddress} roles [{string.Join(", ", cluster.SelfRoles)}] " +
                          $"http {(_runtime.BaseUrl?.ToString() ?? "off")}");
        _ = _runtime.ActorSystem.WhenTerminated.ContinueWith(_ =>
        {
            if (_stopping || lifetime.ApplicationStopping.IsCancellationRequested) return;
            var reason = Akka.Actor.CoordinatedShutdown.Get(_runtime.ActorSystem).ShutdownReason;
            if (reason is Akka.Actor.CoordinatedShutdown.ClusterLeavingReason)
            {
                // An operator asked it to leave (POST /cluster/leave, `fanout cluster leave`): Akka ran the same
                // drain and hand-off as SIGTERM does, so this is a graceful end (StopAsync says so).
                lifetime.StopApplication();
                return;
            }
            log.LogError("The node's actor system stopped by itself ({Reason}); exiting", reason?.ToString() ?? "no reason given");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }, TaskScheduler.Default);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_runtime is null) return;
        Console.WriteLine("fanout node leaving the cluster");
        await _runtime.DisposeAsync();
        Console.WriteLine("fanout node left the cluster");
    }
}
