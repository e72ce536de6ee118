using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.Hosting;

/// <summary>The singletons an app injects: the Fanout started on the app's actor system, as the interface and as itself.</summary>
internal static class HostedFanoutServices
{
    public static void Register(IServiceCollection services)
    {
        services.TryAddSingleton<IFanoutClient>(sp => HostedInstances.Get(sp.GetRequiredService<ActorSystem>()));
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
