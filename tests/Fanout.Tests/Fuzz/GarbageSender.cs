using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Fanout.Protocol;

namespace Fanout.Tests.Fuzz;

/// <summary>Bytes that go out as a message of Fanout's serializer with the given manifest, whatever they are.</summary>
internal sealed record Garbage(string Manifest, byte[] Bytes);

/// <summary>
/// The rogue side's stand-in for Fanout's serializer (same id, 4711): a <see cref="Garbage"/> goes out as its bytes
/// under its manifest, so the receiving node's real <see cref="FanoutSerializer"/> must read them; everything else
/// (a real query, the answers to it) goes through the real serializer.
/// </summary>
internal sealed class GarbageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly FanoutSerializer _real = new(system);

    public override int Identifier => FanoutSerializer.Id;

    public override byte[] ToBinary(object obj) => obj is Garbage garbage ? garbage.Bytes : _real.ToBinary(obj);

    public override string Manifest(object o) => o is Garbage garbage ? garbage.Manifest : _real.Manifest(o);

    public override object FromBinary(byte[] bytes, string manifest) => _real.FromBinary(bytes, manifest);
}

/// <summary>
/// An actor system outside the cluster that speaks remoting to its nodes, as anyone who reaches the port can (the
/// reason for remoting TLS): it sends undecodable messages to a node's run region and executor, and real queries.
/// </summary>
internal sealed class GarbageSender : IAsyncDisposable
{
    private const string Hocon = """
        akka.loglevel = WARNING
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, maximum-frame-size = 4 MiB }
        akka.actor.serializers.garbage = "Fanout.Tests.Fuzz.GarbageSerializer, Fanout.Tests"
        akka.actor.serialization-bindings {
          "Fanout.Protocol.IFanoutMessage, Fanout" = garbage
          "Fanout.Tests.Fuzz.Garbage, Fanout.Tests" = garbage
        }
        akka.actor.serialization-identifiers { "Fanout.Tests.Fuzz.GarbageSerializer, Fanout.Tests" = 4711 }
        """;

    private GarbageSender(ActorSystem system) => System = system;

    public ActorSystem System { get; }

    public static GarbageSender Start() => new(ActorSystem.Create("rogue", ConfigurationFactory.ParseString(Hocon)));

    /// <summary>The node's actors that take messages from other nodes: the runs' region, the executor and its directory.</summary>
    public static IReadOnlyList<string> Targets(string nodeAddress) =>
    [
        $"{nodeAddress}/system/sharding/{Fanout.Runtime.ShardRegions.Runs}",
        $"{nodeAddress}/user/{Fanout.Clustering.ExecutorDirectory.ExecutorName}",
        $"{nodeAddress}/user/{Fanout.Clustering.ExecutorDirectory.Name}",
    ];

    public void Send(string path, object message) => System.ActorSelection(path).Tell(message);

    public Task<T> AskAsync<T>(string path, object message, TimeSpan timeout) => System.ActorSelection(path).Ask<T>(message, timeout);

    public async ValueTask DisposeAsync() => await System.Terminate();
}
