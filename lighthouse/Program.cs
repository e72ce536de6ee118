using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Fanout.Lighthouse;

// The seed node of a Fanout cluster. Settings come from appsettings.json and environment variables
// (ACTORSYSTEM, CLUSTER_IP, CLUSTER_PORT, CLUSTER_SEEDS, and FANOUT_TLS_* for remoting TLS). A bad setting exits with code 2 and a message
// naming it; a port it cannot bind, or seeds none of which answer within CLUSTER_JOIN_TIMEOUT, exit with
// code 1; SIGTERM or Ctrl-C leaves the cluster and exits 0.
LighthouseSettings settings;
try
{
    settings = LighthouseSettings.From(SettingsSources.Load(AppContext.BaseDirectory));
}
catch (LighthouseSettingsException e)
{
    Console.Error.WriteLine($"lighthouse: {e.Message}");
    return 2;
}

ActorSystem system;
try
{
    var setup = BootstrapSetup.Create().WithConfig(LighthouseConfig.Build(settings));
    system = ActorSystem.Create(settings.ActorSystem, settings.Tls is { } tls ? setup.And(tls.Setup()) : ActorSystemSetup.Create(setup));
}
catch (Exception e) when (FindSocketError(e) is { } socketError)
{
    Console.Error.WriteLine($"lighthouse: cannot listen on {settings.Ip}:{settings.Port}: {socketError.Message}");
    return 1;
}

// A graceful leave: the other members see this node leave instead of waiting to find it unreachable.
var leaving = false;
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Leave);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Leave);

var cluster = Cluster.Get(system);
var wasUp = false;
cluster.RegisterOnMemberUp(() =>
{
    wasUp = true;
    Console.WriteLine($"lighthouse up: {cluster.SelfAddress} (seeds: {string.Join(", ", settings.Seeds)})");
});
cluster.RegisterOnMemberRemoved(() =>
{
    if (wasUp) Console.WriteLine($"lighthouse left the cluster: {cluster.SelfAddress}");
});

await system.WhenTerminated;
if (wasUp || leaving) return 0;
Console.Error.WriteLine(
    $"lighthouse: could not join any of the seed nodes [{string.Join(", ", settings.Seeds)}] within {settings.JoinTimeoutSeconds} s");
return 1;

void Leave(PosixSignalContext context)
{
    leaving = true;
    context.Cancel = true; // the process ends when the actor system has left and terminated
    Console.WriteLine("lighthouse leaving the cluster");
    _ = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
}

static SocketException? FindSocketError(Exception? e)
{
    for (; e is not null; e = e.InnerException)
    {
        if (e is SocketException socket) return socket;
        if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(FindSocketError).FirstOrDefault(s => s is not null) is { } inner)
            return inner;
    }
    return null;
}
