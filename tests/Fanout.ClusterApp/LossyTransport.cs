using System.Globalization;
using System.Reflection;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using Google.Protobuf;

namespace Fanout.ClusterApp;

/// <summary>
/// Akka.Remote's TCP transport that loses messages: each actor message (cluster gossip and heartbeats
/// included) this node writes to another node is dropped with the section's <c>drop-probability</c>.
/// A worker gets it through FANOUT_AKKA_CONFIG (<see cref="Hocon"/>); what it dropped is written every
/// second to the section's <c>drop-tally</c> file as "&lt;dropped&gt; &lt;written&gt;".
/// </summary>
/// <remarks>
/// Not Akka's "gremlin" adapter, for what Akka.Remote 1.5's source shows: an adapter puts its name in
/// the address scheme (akka.gremlin.tcp), so every member, the lighthouse and clients included, would
/// have to use it; its drop rate is set per peer address by a management command sent from inside the
/// node (the "all peers" mode is stored but never consulted), which a worker cannot be told to send;
/// and it drops the protocol's own handshake and heartbeat frames too, so it breaks associations
/// rather than losing messages. This wrapper sits at the same layer, keeps the akka.tcp scheme, and
/// drops only payload frames: a lost message, not a failed connection.
/// </remarks>
public sealed class LossyTransport : Transport
{
    // A frame is a protobuf AkkaProtocolMessage: a payload (an actor message) is field 1, length-delimited,
    // so it starts with tag byte (1 << 3) | 2; a control instruction (associate, heartbeat) is field 2.
    private const byte PayloadFieldTag = 0x0A;

    private readonly Transport _tcp;
    private readonly double _dropProbability;
    private readonly string? _tallyPath;
    private readonly Timer? _tallyTimer;
    private long _written;
    private long _dropped;

    /// <summary>Made by Akka.Remote from the transport's section (akka.remote.dot-netty.tcp).</summary>
    public LossyTransport(ActorSystem system, Config config)
    {
        System = system;
        Config = config;
        _dropProbability = config.GetDouble("drop-probability", 0);
        if (_dropProbability is < 0 or > 1)
            throw new ConfigurationException($"akka.remote.dot-netty.tcp.drop-probability {_dropProbability} must be from 0 to 1");
        _tcp = CreateTcpTransport(system, config);
        _tallyPath = config.GetString("drop-tally", null);
        if (_tallyPath is { Length: > 0 }) _tallyTimer = new Timer(_ => WriteTally(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The HOCON that makes a node's remoting lose <paramref name="dropProbability"/> of what it sends, tallied in <paramref name="tallyPath"/>.</summary>
    public static string Hocon(double dropProbability, string tallyPath) => $$"""
        akka.remote.dot-netty.tcp {
          transport-class = "{{typeof(LossyTransport).FullName}}, {{typeof(LossyTransport).Assembly.GetName().Name}}"
          drop-probability = {{dropProbability.ToString(CultureInfo.InvariantCulture)}}
          drop-tally = "{{tallyPath.Replace("\\", "\\\\", StringComparison.Ordinal)}}"
        }
        """;

    // Akka's DotNetty TCP transport is internal: made the way Akka.Remote makes it, from its type and section.
    private static Transport CreateTcpTransport(ActorSystem system, Config config)
    {
        var type = typeof(Transport).Assembly.GetType("Akka.Remote.Transport.DotNetty.TcpTransport", throwOnError: true)!;
        var constructor = type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(ActorSystem), typeof(Config)])
                          ?? throw new MissingMethodException($"{type.FullName} has no (ActorSystem, Config) constructor");
        return (Transport)constructor.Invoke([system, config]);
    }

    public override string SchemeIdentifier
    {
        get => _tcp.SchemeIdentifier;
        protected set { }
    }

    public override long MaximumPayloadBytes
    {
        get => _tcp.MaximumPayloadBytes;
        protected set { }
    }

    public override async Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
    {
        var (address, tcpListener) = await _tcp.Listen().ConfigureAwait(false);
        // Akka.Remote completes ours with its listener; connections others open to us reach it wrapped, so
        // what we write on them is lossy too.
        var ours = new TaskCompletionSource<IAssociationEventListener>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = ours.Task.ContinueWith(t => tcpListener.SetResult(new WrappingListener(t.Result, this)),
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously);
        return (address, ours);
    }

    public override bool IsResponsibleFor(Address remote) => _tcp.IsResponsibleFor(remote);

    public override async Task<AssociationHandle> Associate(Address remoteAddress) =>
        new LossyHandle(await _tcp.Associate(remoteAddress).ConfigureAwait(false), this);

    public override async Task<bool> Shutdown()
    {
        if (_tallyTimer is not null) await _tallyTimer.DisposeAsync().ConfigureAwait(false);
        WriteTally();
        return await _tcp.Shutdown().ConfigureAwait(false);
    }

    public override Task<bool> ManagementCommand(object message) => _tcp.ManagementCommand(message);

    /// <summary>True when the frame is an actor message and its turn to be lost has come.</summary>
    private bool Loses(ByteString frame)
    {
        if (frame.Length == 0 || frame[0] != PayloadFieldTag) return false;
        Interlocked.Increment(ref _written);
        if (Random.Shared.NextDouble() >= _dropProbability) return false;
        Interlocked.Increment(ref _dropped);
        return true;
    }

    private void WriteTally()
    {
        if (_tallyPath is not { Length: > 0 }) return;
        // Written whole and renamed over the last, so a reader never sees half a line.
        var next = _tallyPath + ".next";
        File.WriteAllText(next, $"{Interlocked.Read(ref _dropped)} {Interlocked.Read(ref _written)}\n");
        File.Move(next, _tallyPath, overwrite: true);
    }

    private sealed class WrappingListener(IAssociationEventListener upstream, LossyTransport transport) : IAssociationEventListener
    {
        public void Notify(IAssociationEvent ev) =>
            upstream.Notify(ev is InboundAssociation inbound ? new InboundAssociation(new LossyHandle(inbound.Association, transport)) : ev);
    }

    /// <summary>One connection: what this node writes may be lost; what it reads passes untouched.</summary>
    private sealed class LossyHandle : AssociationHandle
    {
        private readonly AssociationHandle _tcp;
        private readonly LossyTransport _transport;

        public LossyHandle(AssociationHandle tcp, LossyTransport transport) : base(tcp.LocalAddress, tcp.RemoteAddress)
        {
            _tcp = tcp;
            _transport = transport;
            _ = ReadHandlerSource.Task.ContinueWith(t => _tcp.ReadHandlerSource.SetResult(t.Result),
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously);
        }

        // A lost frame reports success, as a frame lost on the wire would.
        public override bool Write(ByteString payload) => _transport.Loses(payload) || _tcp.Write(payload);

        [Obsolete("Akka.Remote marks Disassociate() obsolete for callers; a handle still has to implement it")]
        public override void Disassociate()
        {
#pragma warning disable CS0618
            _tcp.Disassociate();
#pragma warning restore CS0618
        }
    }
}
