using Akka.Actor;

namespace Fanout.Tests.Actors;

/// <summary>
/// Stands in for a shard: creates the entity as its child and hands what the child tells it to a probe.
/// Like a shard that starts an entity for a message, it can deliver a first message right after the
/// entity is created, before a persistent entity has finished recovering.
/// </summary>
public sealed class ParentProxy : ReceiveActor
{
    public ParentProxy(Props child, string name, IActorRef probe, object? firstMessage = null, IActorRef? firstSender = null)
    {
        var entity = Context.ActorOf(child, name);
        if (firstMessage is not null) entity.Tell(firstMessage, firstSender ?? ActorRefs.NoSender);
        Receive<object>(message =>
        {
            if (Sender.Equals(entity)) probe.Tell(message);
            else entity.Forward(message);
        });
    }
}
