using System.Runtime.CompilerServices;
using Akka.Actor;

namespace Fanout.Hosting;

/// <summary>
/// The Fanout started on each actor system by <c>WithFanoutWorker</c> / <c>WithFanoutClient</c>, where the services
/// registered for dependency injection find it once the host has started.
/// </summary>
internal static class HostedInstances
{
    private static readonly ConditionalWeakTable<ActorSystem, IFanoutClient> Started = new();

    public static void Set(ActorSystem system, IFanoutClient fanout)
    {
        if (!Started.TryAdd(system, fanout))
            throw new InvalidOperationException(
                $"Fanout is already started on the actor system '{system.Name}': call WithFanoutWorker or WithFanoutClient once");
    }

    /// <exception cref="InvalidOperationException">Fanout has not started on it (yet).</exception>
    public static IFanoutClient Get(ActorSystem system) =>
        Started.TryGetValue(system, out var fanout)
            ? fanout
            : throw new InvalidOperationException(
                $"Fanout has not started on the actor system '{system.Name}': it starts with the host (Akka.Hosting's start-up), " +
                "so resolve IFanoutClient after the host has started, and add Fanout with AddFanoutClient/AddFanoutWorker/AddFanoutEmbedded " +
                "or with WithFanoutWorker/WithFanoutClient on AddAkka");

    public static IFanoutClient? Find(ActorSystem system) => Started.TryGetValue(system, out var fanout) ? fanout : null;
}
