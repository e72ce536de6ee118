using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.Hosting;

/// <summary>
/// The singletons an app injects: the Fanout started on the app's actor system, as the interface (usable from a hosted
/// service's constructor) and as itself (once the host has started).
/// </summary>
internal static class HostedFanoutServices
{
    public static void Register(IServiceCollection services)
    {
        // Resolved lazily at each call: hosted services are built before the host (and Fanout with it) starts.
        services.TryAddSingleton<IFanoutClient>(sp => new HostedFanoutClient(sp));
        services.TryAddSingleton(sp => Concrete<FanoutRuntime>(sp));
        services.TryAddSingleton(sp => Concrete<FanoutClient>(sp));
    }

    private static T Concrete<T>(IServiceProvider sp) where T : class
    {
        var fanout = HostedInstances.Get(sp.GetRequiredService<ActorSystem>());
        return fanout as T ?? throw new InvalidOperationException(
            $"The Fanout on this actor system is a {fanout.GetType().Name}, not a {typeof(T).Name}: inject IFanoutClient, or the type the app added");
    }
}
