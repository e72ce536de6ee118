using Akka.Hosting;

namespace Fanout.Hosting;

/// <summary>
/// Adds Fanout to an actor system an app composes with Akka.Hosting's <c>services.AddAkka("name", builder => ...)</c>, so
/// the process has one actor system. Fanout's HOCON goes under the app's (the app's remoting and cluster settings win),
/// its journal uses plugin ids of its own (an app's own persistence is untouched), and it starts once the actor system
/// exists, in Akka.Hosting's start-up. Register <see cref="IFanoutClient"/> with
/// <see cref="FanoutServiceCollectionExtensions.AddFanoutFromAkka"/>. Fanout's cluster roles must survive the app's:
/// when the app sets <c>akka.cluster.roles</c> (<c>ClusterOptions.Roles</c>), it lists Fanout's too, or the start fails
/// naming them.
/// </summary>
public static class FanoutAkkaConfigurationBuilderExtensions
{
    /// <summary>
    /// Makes this actor system a Fanout runtime node: it hosts runs, runs actions and journals them. With
    /// <see cref="FanoutRuntimeOptions.Seeds"/> it joins them; without, it joins the seeds of the app's cluster settings,
    /// or forms a cluster of one. <see cref="FanoutRuntimeOptions.SystemName"/> must be the name given to <c>AddAkka</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A setting has a bad value; the message names it.</exception>
    public static AkkaConfigurationBuilder WithFanoutWorker(this AkkaConfigurationBuilder builder, FanoutRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return HostedStart.AddWorker(builder, options);
    }

    /// <summary>
    /// Makes this actor system a client member of a Fanout cluster: it starts and reads runs that the workers run.
    /// <see cref="FanoutClientOptions.SystemName"/> must be the name given to <c>AddAkka</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A setting has a bad value; the message names it.</exception>
    public static AkkaConfigurationBuilder WithFanoutClient(this AkkaConfigurationBuilder builder, FanoutClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return HostedStart.AddClient(builder, options);
    }
}
