using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Fanout.Protocol;

namespace Fanout.Clustering;

/// <summary>An executor that may take new attempts, the roles of its node, and its latest reported load.</summary>
internal sealed record ExecutorEntry(IActorRef Executor, Address Node, ImmutableHashSet<string> Roles)
{
    public bool CanRun(string? role) => role is null || Roles.Contains(role);

    /// <summary>The node's address as <c>host:port</c>, as a run records where it sent an attempt (made once, shared).</summary>
    public string NodeName { get; } = $"{Node.Host}:{Node.Port}";

    /// <summary>What the executor last said of its load (the directory updates it in place).</summary>
    public ExecutorGauge Gauge { get; } = new();
}

/// <summary>
/// Which executors in the cluster may take new attempts, kept by one actor per worker node for the runs
/// it hosts. It follows cluster membership: an executor is found (Identify at its well-known path) when
/// its node is up, and is left out while its node is unreachable, leaving, or says it is draining.
/// Runs subscribe and get the whole list on every change; whether an attempt was lost is the runs' own
/// business (they watch the executors they use), so a node that merely leaves loses nothing.
/// Executors report their load here (<see cref="ExecutorLoad"/>); it goes into the entry's
/// <see cref="ExecutorGauge"/>, which the runs read when they place, so a load change sends no message to runs.
/// </summary>
internal sealed class ExecutorDirectory : ReceiveActor, IWithTimers
{
    public const string Name = "fanout-executors";
    public const string ExecutorName = "fanout-executor";
    private static readonly TimeSpan IdentifyRetry = TimeSpan.FromSeconds(1);

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, Member> _unresolved = new();
    private readonly Dictionary<Address, ExecutorEntry> _resolved = new();
    private readonly HashSet<Address> _unreachable = new();
    private readonly HashSet<IActorRef> _draining = new();
    private readonly HashSet<IActorRef> _subscribers = new();
    private ImmutableArray<ExecutorEntry> _available = [];

    public ExecutorDirectory()
    {
        Receive<ClusterEvent.MemberUp>(up => OnMemberUp(up.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(up => OnMemberUp(up.Member));
        Receive<ClusterEvent.MemberLeft>(left => Forget(left.Member.Address, "is leaving the cluster"));
        Receive<ClusterEvent.MemberExited>(exited => Forget(exited.Member.Address, "has left the cluster"));
        Receive<ClusterEvent.MemberRemoved>(removed => Forget(removed.Member.Address, "was removed from the cluster"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.UnreachableMember>(m =>
        {
            if (_unreachable.Add(m.Member.Address)) Publish();
        });
        Receive<ClusterEvent.ReachableMember>(m =>
        {
            if (_unreachable.Remove(m.Member.Address)) Publish();
        });
        Receive<IdentifyPending>(_ => IdentifyPendingMembers());
        Receive<ActorIdentity>(OnIdentity);
        Receive<ExecutorDraining>(draining =>
        {
            if (!_draining.Add(draining.Executor)) return;
            _log.Info("Executor {0} is draining: no new attempts go to it", draining.Executor.Path);
            Publish();
        });
        Receive<ExecutorLoad>(load =>
        {
            foreach (var entry in _resolved.Values)
            {
                if (!entry.Executor.Equals(load.Executor)) continue;
                entry.Gauge.Update(load);
                return;
            }
            // Not found yet (its node is still being identified): its next report, at the latest a few seconds away, counts.
        });
        Receive<SubscribeExecutors>(subscribe =>
        {
            if (_subscribers.Add(subscribe.Subscriber)) Context.Watch(subscribe.Subscriber);
            subscribe.Subscriber.Tell(new ExecutorsChanged(_available));
        });
        Receive<GetExecutors>(_ => Sender.Tell(new ExecutorsChanged(_available)));
        Receive<GetKnownExecutors>(_ => Sender.Tell(new KnownExecutors(_resolved.Values
            .OrderBy(e => e.Node.ToString(), StringComparer.Ordinal)
            .Select(e => new KnownExecutor(e, Unreachable: _unreachable.Contains(e.Node), Draining: _draining.Contains(e.Executor)))
            .ToImmutableArray())));
        Receive<UnsubscribeExecutors>(unsubscribe =>
        {
            if (_subscribers.Remove(unsubscribe.Subscriber)) Context.Unwatch(unsubscribe.Subscriber);
        });
        Receive<Terminated>(terminated =>
        {
            if (_subscribers.Remove(terminated.ActorRef)) return;
            // An executor stopped while its node stays (a fault restarts it under the same path): find it again.
            foreach (var (address, entry) in _resolved.Where(e => e.Value.Executor.Equals(terminated.ActorRef)).ToList())
            {
                _resolved.Remove(address);
                if (_cluster.State.Members.FirstOrDefault(m => m.Address == address) is { Status: MemberStatus.Up } member)
                    _unresolved[address] = member;
            }
            _draining.Remove(terminated.ActorRef);
            IdentifyPendingMembers();
            Publish();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new ExecutorDirectory());

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void OnMemberUp(Member member)
    {
        if (!member.HasRole(FanoutRoles.Worker) || _resolved.ContainsKey(member.Address)) return;
        _unresolved[member.Address] = member;
        IdentifyPendingMembers();
    }

    private void IdentifyPendingMembers()
    {
        foreach (var address in _unresolved.Keys)
            Context.ActorSelection(new RootActorPath(address) / "user" / ExecutorName).Tell(new Identify(address));
        if (_unresolved.Count > 0 && !Timers.IsTimerActive("identify"))
            Timers.StartPeriodicTimer("identify", IdentifyPending.Instance, IdentifyRetry);
        else if (_unresolved.Count == 0)
            Timers.Cancel("identify");
    }

    private void OnIdentity(ActorIdentity identity)
    {
        if (identity.MessageId is not Address address || identity.Subject is null) return;
        if (!_unresolved.Remove(address, out var member)) return;
        _resolved[address] = new ExecutorEntry(identity.Subject, address, member.Roles);
        Context.Watch(identity.Subject);
        _log.Info("Executor on {0} joined (roles: {1})", address, string.Join(", ", member.Roles));
        if (_unresolved.Count == 0) Timers.Cancel("identify");
        Publish();
    }

    private void Forget(Address address, string why)
    {
        _unresolved.Remove(address);
        if (!_resolved.Remove(address, out var entry)) return;
        _draining.Remove(entry.Executor);
        _unreachable.Remove(address);
        _log.Info("Executor on {0} takes no more attempts: its node {1}", address, why);
        Publish();
    }

    private void Publish()
    {
        var available = _resolved.Values
            .Where(e => !_unreachable.Contains(e.Node) && !_draining.Contains(e.Executor))
            .OrderBy(e => e.Node.ToString(), StringComparer.Ordinal)
            .ToImmutableArray();
        if (available.SequenceEqual(_available)) return;
        _available = available;
        var changed = new ExecutorsChanged(available);
        foreach (var subscriber in _subscribers) subscriber.Tell(changed);
    }

    private sealed class IdentifyPending : INoSerializationVerificationNeeded
    {
        public static readonly IdentifyPending Instance = new();
    }
}

/// <summary>Asks the directory for <see cref="ExecutorsChanged"/> now and on every change. Local only.</summary>
internal sealed record SubscribeExecutors(IActorRef Subscriber) : INoSerializationVerificationNeeded;

/// <summary>Stops the updates. Local only.</summary>
internal sealed record UnsubscribeExecutors(IActorRef Subscriber) : INoSerializationVerificationNeeded;

/// <summary>The executors that may take new attempts now, in a stable order. Local only.</summary>
internal sealed record ExecutorsChanged(ImmutableArray<ExecutorEntry> Executors) : INoSerializationVerificationNeeded;

/// <summary>
/// Asks the directory for every executor it has found, usable or not (the operator's <c>GET /executors</c>),
/// answered by <see cref="KnownExecutors"/>. Local only.
/// </summary>
internal sealed class GetKnownExecutors : INoSerializationVerificationNeeded
{
    public static readonly GetKnownExecutors Instance = new();
}

/// <summary>Every executor the directory has found, in node order. Local only.</summary>
internal sealed record KnownExecutors(ImmutableArray<KnownExecutor> Executors) : INoSerializationVerificationNeeded;

/// <summary>An executor the directory knows, and why runs may not be using it now: its node is unreachable, or it drains.</summary>
internal sealed record KnownExecutor(ExecutorEntry Entry, bool Unreachable, bool Draining);

/// <summary>An executor's node is leaving: it finishes what it runs and takes nothing new. Sent to every directory.</summary>
internal sealed record ExecutorDraining(IActorRef Executor) : IFanoutMessage;
