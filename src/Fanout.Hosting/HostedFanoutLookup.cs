using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Hosting;

/// <summary>The Fanout on the app's actor system, for the health checks, which must answer (Unhealthy) before it has started.</summary>
internal static class HostedFanoutLookup
{
    public static (ActorSystem? System, IFanoutClient? Fanout) Find(IServiceProvider services)
    {
        ActorSystem? system;
        try
        {
            system = services.GetService<ActorSystem>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Akka.Hosting builds the actor system when it is first resolved: a failure there is the start's, reported by it.
            return (null, null);
        }
        return system is null ? (null, null) : (system, HostedInstances.Find(system));
    }

    public const string NotStarted = "Fanout has not started on this process's actor system (the host is starting, or its start failed)";
}
