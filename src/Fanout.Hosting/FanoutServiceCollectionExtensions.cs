using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Hosting;

/// <summary>
/// Puts Fanout in an app's dependency injection, on an actor system built by Akka.Hosting's <c>AddAkka</c>: a client
/// member of a cluster (<see cref="AddFanoutClient"/>), a worker node (<see cref="AddFanoutWorker"/>) or the one-node
/// default (<see cref="AddFanoutEmbedded"/>). Each registers <see cref="IFanoutClient"/> as a singleton: a hosted service may
/// take it in its constructor, and its calls work once the host has started (before, they throw saying so). An app that calls <c>AddAkka</c> itself uses <see cref="FanoutAkkaConfigurationBuilderExtensions"/>
/// and <see cref="AddFanoutFromAkka"/> instead, so the process has one actor system.
/// </summary>
public static class FanoutServiceCollectionExtensions
{
    /// <summary>
    /// Makes the app a client member of a Fanout cluster: it starts, reads, lists and cancels runs that the workers run.
    /// Registers <see cref="IFanoutClient"/> and <see cref="FanoutClient"/>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="section">
    /// The configuration section with the options (keys are <see cref="FanoutClientOptions"/>' property names:
    /// <c>Fanout:Seeds:0</c>, <c>Fanout:Port</c>, ...); null for none (the defaults and <paramref name="configure"/>). A bad
    /// value or an unknown key fails the host's start with a <see cref="FanoutConfigurationException"/> naming the key.
    /// </param>
    /// <param name="configure">Changes the options after they are read from configuration.</param>
    public static IServiceCollection AddFanoutClient(this IServiceCollection services, IConfiguration? section = null,
        Action<FanoutClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = new HostedSettings<FanoutClientOptions>(section, configure, HostedRole.Client);
        return AddOwnActorSystem(services, settings, options => options.SystemName,
            (builder, options) => builder.WithFanoutClient(options));
    }

    /// <summary>
    /// Makes the app a worker node of a Fanout cluster: it joins <see cref="FanoutRuntimeOptions.Seeds"/> (required), hosts
    /// runs, runs actions and journals to the cluster's shared database (usually PostgreSQL). Registers
    /// <see cref="IFanoutClient"/> and <see cref="FanoutRuntime"/>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="section">
    /// The configuration section with the options (keys are <see cref="FanoutRuntimeOptions"/>' property names:
    /// <c>Fanout:Seeds:0</c>, <c>Fanout:Journal</c>, <c>Fanout:ConnectionString</c>, <c>Fanout:HttpPort</c>, ...), such as
    /// <c>builder.Configuration.GetSection("Fanout")</c>; null for none. A bad value or an unknown key fails the host's start with a
    /// <see cref="FanoutConfigurationException"/> naming the key.
    /// </param>
    /// <param name="configure">Changes the options after they are read from configuration.</param>
    public static IServiceCollection AddFanoutWorker(this IServiceCollection services, IConfiguration? section = null,
        Action<FanoutRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = new HostedSettings<FanoutRuntimeOptions>(section, configure, HostedRole.Worker);
        return AddOwnActorSystem(services, settings, options => options.SystemName,
            (builder, options) => builder.WithFanoutWorker(options));
    }

    /// <summary>
    /// Runs Fanout inside the app as a cluster of one, the default that needs no set-up: a SQLite journal under the
    /// working directory and the HTTP API on a free port when the <c>Fanout.Http</c> package is referenced (the same as
    /// <see cref="FanoutRuntime.StartEmbeddedAsync"/>). Registers <see cref="IFanoutClient"/> and <see cref="FanoutRuntime"/>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="section">As for <see cref="AddFanoutWorker"/>; null for none.</param>
    /// <param name="configure">Changes the options after they are read from configuration.</param>
    public static IServiceCollection AddFanoutEmbedded(this IServiceCollection services, IConfiguration? section = null,
        Action<FanoutRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = new HostedSettings<FanoutRuntimeOptions>(section, configure, HostedRole.Embedded);
        return AddOwnActorSystem(services, settings, options => options.SystemName,
            (builder, options) => builder.WithFanoutWorker(options));
    }

    /// <summary>
    /// Registers <see cref="IFanoutClient"/> (and <see cref="FanoutRuntime"/> or <see cref="FanoutClient"/>) for the
    /// Fanout that <see cref="FanoutAkkaConfigurationBuilderExtensions.WithFanoutWorker"/> or
    /// <see cref="FanoutAkkaConfigurationBuilderExtensions.WithFanoutClient"/> starts on the app's own <c>AddAkka</c>
    /// actor system. <see cref="IFanoutClient"/> may be injected anywhere and works once the host has started; the
    /// concrete types resolve only after the start (earlier, they throw saying so).
    /// </summary>
    public static IServiceCollection AddFanoutFromAkka(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        HostedFanoutServices.Register(services);
        return services;
    }

    private static IServiceCollection AddOwnActorSystem<TOptions>(IServiceCollection services, HostedSettings<TOptions> settings,
        Func<TOptions, string> systemName, Action<AkkaConfigurationBuilder, TOptions> withFanout) where TOptions : class, new()
    {
        services.AddSingleton(settings);
        HostedFanoutServices.Register(services);
        // The options are read when the host starts (Akka.Hosting builds the actor system then), so a bad value fails the start.
        services.AddAkka(settings.SystemName(systemName), (builder, provider) =>
        {
            var options = settings.Resolve();
            // Fanout logs where the app logs, and Akka's own log with it, unless the options name a logger factory.
            switch (options)
            {
                case FanoutRuntimeOptions runtime: runtime.LoggerFactory ??= provider.GetService<ILoggerFactory>(); break;
                case FanoutClientOptions client: client.LoggerFactory ??= provider.GetService<ILoggerFactory>(); break;
            }
            withFanout(builder, options);
        });
        return services;
    }
}
