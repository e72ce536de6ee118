using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;

namespace Fanout.Tests.Support;

/// <summary>
/// Lets a message that never leaves its process pass <c>serialize-messages = on</c> untouched: it
/// "serializes" to a ticket and reads the same object back. Bound in test config to
/// Akka.Persistence.Sql's internal <c>WriteFinished</c>, which holds a <see cref="Task"/>: the default
/// serializer fails on it only after walking the task's object graph (about 80 ms a journal write),
/// and the journal then drops the message, so every spec ran slower than production and with the
/// journal's bookkeeping of writes in progress never cleared.
/// </summary>
public sealed class LocalOnlySerializer(ExtendedActorSystem system) : Serializer(system)
{
    /// <summary>The HOCON that binds the journal's local-only message to this serializer.</summary>
    public const string Hocon = """
        akka.actor.serializers.local-only = "Fanout.Tests.Support.LocalOnlySerializer, Fanout.Tests"
        akka.actor.serialization-bindings { "Akka.Persistence.Sql.Journal.Types.WriteFinished, Akka.Persistence.Sql" = local-only }
        akka.actor.serialization-identifiers { "Fanout.Tests.Support.LocalOnlySerializer, Fanout.Tests" = 4712 }
        """;

    private static readonly ConcurrentDictionary<Guid, object> InTransit = new();

    public override int Identifier => 4712;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        var ticket = Guid.NewGuid();
        InTransit[ticket] = obj;
        return ticket.ToByteArray();
    }

    public override object FromBinary(byte[] bytes, Type type) =>
        InTransit.TryRemove(new Guid(bytes), out var obj)
            ? obj
            : throw new InvalidOperationException("a local-only message was read in another process or twice");
}
