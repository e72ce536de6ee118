namespace Fanout.Tests.Actors;

/// <summary>Config for actor-level specs: Fanout's serializer checked on every message, an in-memory journal.</summary>
public static class ActorSpecConfig
{
    public const string Hocon = """
        akka.loglevel = WARNING
        # The first message of a spec may pay the process's cold start (JIT, the serializer's first use)
        # while every other spec class starts too; 3 s was seen to run out there. Passing specs never wait it out.
        akka.test.single-expect-default = 10s
        akka.actor.serialize-messages = on
        akka.actor.serializers.fanout = "Fanout.Protocol.FanoutSerializer, Fanout"
        akka.actor.serialization-bindings { "Fanout.Protocol.IFanoutMessage, Fanout" = fanout }
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;
}
