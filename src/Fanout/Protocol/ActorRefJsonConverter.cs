using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Fanout.Protocol;

/// <summary>Writes an actor reference as its full serialized path and resolves it back on the receiving node.</summary>
internal sealed class ActorRefJsonConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
{
    public override bool CanConvert(Type typeToConvert) => typeof(IActorRef).IsAssignableFrom(typeToConvert);

    public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var path = reader.GetString();
        return string.IsNullOrEmpty(path) ? ActorRefs.Nobody : system.Provider.ResolveActorRef(path);
    }

    public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value is Nobody ? "" : Akka.Serialization.Serialization.SerializedActorPath(value));
}
