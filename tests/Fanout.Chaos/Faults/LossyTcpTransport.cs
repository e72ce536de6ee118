using System.Reflection;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;

namespace Fanout.Chaos.Faults;

/// <summary>
/// Akka.Remote's own TCP transport with message loss: every payload frame this node writes is dropped
/// with the probability <c>drop-probability</c> from its transport section. Installed by naming it as
/// <c>akka.remote.dot-netty.tcp.transport-class</c> (see <see cref="Hocon"/>).
/// </summary>
/// <remarks>
/// Akka's failure injector (the "gremlin" adapter) was the first choice; it does not fit here for two
/// reasons, read from Akka.Remote 1.5's source: an adapter adds its name to the address scheme
/// (akka.gremlin.tcp://...), so every member, the lighthouse included, would need it, and the lighthouse
/// takes no extra HOCON and accepts only akka.tcp seeds; and its drop mode is set per peer address by a
/// management command from inside the node (its "all peers" mode is stored but never read), which the
/// node program cannot be told to send. This wrapper sits at the same layer, under Akka's protocol,
/// keeps the akka.tcp scheme, and drops only payload frames (messages between actors, cluster gossip and
/// heartbeats included); the protocol's own control frames (associate, disassociate, transport
/// heartbeats) pass, so loss shows as lost messages, not as failed connections.
/// </remarks>
public sealed class LossyTcpTransport : Transport
{
    // An Akka protocol frame is a protobuf AkkaProtocolMessage: field 1 (the payload) starts with this
    // tag byte; field 2 (a control instruction) with 0x12.
    private const byte PayloadTag = 0x0A;

    private readonly Transport _inner;
    private readonly double _dropProbability;
    private readonly DropTally _tally;

    /// <summary>Called by Akka.Remote with the transport's configuration section.</summary>
    public LossyTcpTransport(ActorSystem system, Config config)
    {
        System = system;
        Config = config;
        _dropProbability = config.GetDouble("drop-probability", 0);
        if (_dropProbability is < 0 or > 1)
            throw new ConfigurationException($"drop-probability {_dropProbability} must be from 0 to 1");
        _tally = DropTally.Start(config.GetString("drop-report-dir", null));
        var tcp = Type.GetType("Akka.Remote.Transport.DotNetty.TcpTransport, Akka.Remote", throwOnError: true)!;
        var constructor = tcp.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(ActorSystem), typeof(Config)])
                          ?? throw new MissingMethodException("Akka.Remote's TcpTransport has no (ActorSystem, Config) constructor");
        _inner = (Transport)constructor.Invoke([system, config]);
    }

    /// <summary>The HOCON that installs this transport with <paramref name="dropProbability"/>, reporting its counts to <paramref name="reportDir"/>.</summary>
    public static string Hocon(double dropProbability, string reportDir) => $$"""
        akka.remote.dot-netty.tcp {
          transport-class = "{{typeof(LossyTcpTransport).FullName}}, {{typeof(LossyTcpTransport).Assembly.GetName().Name}}"
          drop-probability = {{dropProbability.ToString(global::System.Globalization.CultureInfo.InvariantCulture)}}
          drop-report-dir = "{{reportDir.Replace("\\", "\\\\")}}"
        }
        """;

    public override string SchemeIdentifier
    {
        get => _inner.SchemeIdentifier;
        protected set { }
    }

    public override long MaximumPayloadBytes
    {
        get => _inner.MaximumPayloadBytes;
        protected set { }
    }

    public override async Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
    {
        var (address, innerListener) = await _inner.Listen().ConfigureAwait(false);
        var upstream = new TaskCompletionSource<IAssociationEventListener>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = upstream.Task.ContinueWith(t => innerListener.SetResult(new InboundWrapper(t.Result, this)),
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously);
        return (address, upstream);
    }

    public override bool IsResponsibleFor(Address remote) => _inner.IsResponsibleFor(remote);

    public override async Task<AssociationHandle> Associate(Address remoteAddress) =>
        new LossyHandle(await _inner.Associate(remoteAddress).ConfigureAwait(false), this);

    public override async Task<bool> Shutdown()
    {
        _tally.Flush();
        return await _inner.Shutdown().ConfigureAwait(false);
    }

    public override Task<bool> ManagementCommand(object message) => _inner.ManagementCommand(message);

    private bool Drops(Google.Protobuf.ByteString frame)
    {
        if (frame.Length == 0 || frame[0] != PayloadTag) return false;
        var drop = _dropProbability > 0 && Random.Shared.NextDouble() < _dropProbability;
        _tally.Count(drop);
        return drop;
    }

    /// <summary>Hands inbound connections upstream wrapped, so that what this node writes on them is lossy too.</summary>
    private sealed class InboundWrapper(IAssociationEventListener upstream, LossyTcpTransport transport) : IAssociationEventListener
    {
        public void Notify(IAssociationEvent ev) =>
            upstream.Notify(ev is InboundAssociation inbound ? new InboundAssociation(new LossyHandle(inbound.Association, transport)) : ev);
    }

    /// <summary>One connection: writes go through <see cref="Drops"/>; reads reach the upstream listener untouched.</summary>
    private sealed class LossyHandle : AssociationHandle
    {
        private readonly AssociationHandle _inner;
        private readonly LossyTcpTransport _transport;

        public LossyHandle(AssociationHandle inner, LossyTcpTransport transport) : base(inner.LocalAddress, inner.RemoteAddress)
        {
            _inner = inner;
            _transport = transport;
            _ = ReadHandlerSource.Task.ContinueWith(t => _inner.ReadHandlerSource.SetResult(t.Result),
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously);
        }

        public override bool Write(Google.Protobuf.ByteString payload) => _transport.Drops(payload) || _inner.Write(payload);

        // The overload with a reason logs it and calls this one, the only one a handle implements.
        [Obsolete("Akka.Remote marks the handle's own Disassociate obsolete for callers; a handle still implements it")]
        public override void Disassociate()
        {
#pragma warning disable CS0618
            _inner.Disassociate();
#pragma warning restore CS0618
        }
    }
}
