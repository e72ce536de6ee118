using Akka.Actor;

namespace Fanout.Tests.Actors;

/// <summary>Stands in for a shard: creates the entity as its child and hands what the child tells it to a probe.</summary>
public sealed class ParentProxy : ReceiveActor
{
    public ParentProxy(Props child, string name, IActorRef probe)
    {
        var entity = Context.ActorOf(child, name);
        Receive<object>(message =>
        {
            if (Sender.Equals(entity)) probe.Tell(message);
            else entity.Forward(message);
        });
    }
}
