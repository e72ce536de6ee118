using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;

namespace Fanout.Operations;

/// <summary>
/// Streams this node's view of cluster membership as NDJSON (<c>GET /cluster/events</c>, <c>pbm cluster tail</c>):
/// one actor per request subscribes to the cluster and puts a line per member, then a line per event, into a
/// bounded channel that the request drains to the client. The actor stops when the client disconnects; a
/// client too slow to keep up gets the stream closed rather than a node that buffers without bound.
/// </summary>
internal static class ClusterEventFeed
{
    private const int MaxLinesBehind = 1_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes lines to <paramref name="body"/> until <paramref name="ct"/> fires or the node stops.</summary>
    public static async Task StreamAsync(ActorSystem system, Stream body, CancellationToken ct)
    {
        var lines = Channel.CreateBounded<ClusterEventLine>(new BoundedChannelOptions(MaxLinesBehind) { SingleReader = true, SingleWriter = true });
        var subscriber = system.ActorOf(Props.Create(() => new Subscriber(lines.Writer)));
        try
        {
            await body.FlushAsync(ct).ConfigureAwait(false); // the headers go out now, not with the first event
            await foreach (var line in lines.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                // Kestrel refuses synchronous writes: the line and its newline go out as one buffer.
                var bytes = JsonSerializer.SerializeToUtf8Bytes(line, Json);
                Array.Resize(ref bytes, bytes.Length + 1);
                bytes[^1] = (byte)'\n';
                await body.WriteAsync(bytes, ct).ConfigureAwait(false);
                if (lines.Reader.Count == 0) await body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
        finally
        {
            system.Stop(subscriber);
        }
    }

    /// <summary>The per-request subscription: cluster events in, lines out.</summary>
    private sealed class Subscriber : ReceiveActor
    {
        private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
        private readonly ChannelWriter<ClusterEventLine> _lines;

        public Subscriber(ChannelWriter<ClusterEventLine> lines)
        {
            _lines = lines;
            Receive<ClusterEvent.CurrentClusterState>(state =>
            {
                var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
                foreach (var member in state.Members) Write(ClusterEventLine.Of("CurrentMember", member, !unreachable.Contains(member.Address)));
            });
            Receive<ClusterEvent.UnreachableMember>(e => Write(ClusterEventLine.Of(nameof(ClusterEvent.UnreachableMember), e.Member, reachable: false)));
            Receive<ClusterEvent.ReachableMember>(e => Write(ClusterEventLine.Of(nameof(ClusterEvent.ReachableMember), e.Member, reachable: true)));
            // MemberJoined, MemberUp, MemberWeaklyUp, MemberLeft, MemberExited, MemberRemoved, MemberDowned: Akka's names.
            Receive<ClusterEvent.IMemberEvent>(e => Write(ClusterEventLine.Of(e.GetType().Name, e.Member)));
            Receive<ClusterEvent.LeaderChanged>(e =>
                Write(new ClusterEventLine(DateTimeOffset.UtcNow, nameof(ClusterEvent.LeaderChanged), e.Leader?.ToString())));
        }

        protected override void PreStart() =>
            _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

        protected override void PostStop()
        {
            _cluster.Unsubscribe(Self);
            _lines.TryComplete();
        }

        private void Write(ClusterEventLine line)
        {
            if (_lines.TryWrite(line)) return;
            Context.Stop(Self); // the client reads slower than the cluster changes: end its stream
        }
    }
}
