using Akka.Hosting;

namespace Fanout.Hosting;

/// <summary>
/// Fanout on an Akka.Hosting actor system, in two steps: its HOCON (and setups) go into the builder before the actor
/// system exists, as a fallback under the app's; the rest of its start (journal, cluster join, sharding, HTTP API) runs
/// as a start-up task once the system exists, and a failure there fails the host's start.
/// </summary>
internal static class HostedStart
{
    public static AkkaConfigurationBuilder AddWorker(AkkaConfigurationBuilder builder, FanoutRuntimeOptions options)
    {
        builder.AddHocon(FanoutRuntime.HostedConfig(options), HoconAddMode.Append);
        AddSetups(builder, options.LoggerFactory, options.RemoteTls);
        builder.AddStartup(async (system, _) =>
            HostedInstances.Set(system, await FanoutRuntime.StartOnAsync(system, options, CancellationToken.None).ConfigureAwait(false)));
        return builder;
    }

    public static AkkaConfigurationBuilder AddClient(AkkaConfigurationBuilder builder, FanoutClientOptions options)
    {
        builder.AddHocon(FanoutClient.HostedConfig(options), HoconAddMode.Append);
        AddSetups(builder, options.LoggerFactory, options.RemoteTls);
        builder.AddStartup(async (system, _) =>
            HostedInstances.Set(system, await FanoutClient.StartOnAsync(system, options, CancellationToken.None).ConfigureAwait(false)));
        return builder;
    }

    private static void AddSetups(AkkaConfigurationBuilder builder, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory, RemoteTlsOptions? tls)
    {
        // Fanout's bridge of Akka's log to ILogger reads this; without it the app's own Akka logging settings apply.
        if (loggerFactory is not null) builder.AddSetup(new Runtime.LoggerFactorySetup(loggerFactory));
        // The certificates live as long as the actor system: its transport holds them.
        if (tls is not null) builder.AddSetup(tls.Load().Setup());
    }
}
