using Akka.Actor;
using Fanout.Clustering;

namespace Fanout.Operations;

/// <summary>What became of an operator's membership command.</summary>
internal enum MembershipOutcome
{
    /// <summary>Handed to the cluster, which carries it out by gossip (so the HTTP answer is 202).</summary>
    Accepted,

    /// <summary>The address is not a member of the cluster this node sees.</summary>
    NotAMember,
}

/// <summary>
/// An operator's leave, down and join of a member (<c>pbm cluster leave/down/join</c>), through this node's
/// <see cref="Akka.Cluster.Cluster"/>. Leaving is graceful: the member drains its executor and hands its runs
/// off before it exits. Downing removes the member at once, without waiting for the failure detector and the
/// split-brain resolver, so the work of a node known to be dead moves sooner.
/// </summary>
internal sealed class MembershipCommands(ActorSystem system)
{
    private static readonly TimeSpan GracefulLeaveTimeout = TimeSpan.FromSeconds(3);

    private Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(system);

    /// <summary>Reads an address an operator typed, with an error that names it and shows a good one.</summary>
    public bool TryParse(string? text, out Address? address, out string? problem)
    {
        address = null;
        problem = null;
        // Members' addresses have this node's scheme: akka.ssl.tcp with remoting TLS, akka.tcp without.
        var scheme = Cluster.SelfAddress.Protocol;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = $"\"address\" is required, like {scheme}://{system.Name}@127.0.0.1:4053";
            return false;
        }
        try
        {
            address = ClusterAddresses.ParseSeed(text, system.Name, "\"address\"", tls: scheme == RemoteTlsCertificates.Scheme(tls: true));
            return true;
        }
        catch (ArgumentException e)
        {
            problem = e.Message.Split(" (Parameter", 2)[0];
            return false;
        }
    }

    /// <summary>
    /// Asks the member to leave: a runtime node is asked to start its own graceful shutdown (<see cref="GracefulLeave"/>:
    /// it drains, hands its runs off and exits); any other member (a lighthouse, an app's client), or a runtime node
    /// that does not answer, is asked through Akka's <c>Cluster.Leave</c>.
    /// </summary>
    public async Task<MembershipOutcome> LeaveAsync(Address address, CancellationToken ct)
    {
        var member = Cluster.State.Members.FirstOrDefault(m => m.Address == address);
        if (member is null) return MembershipOutcome.NotAMember;
        if (member.HasRole(FanoutRoles.Worker))
        {
            try
            {
                var receiver = system.ActorSelection(new RootActorPath(address) / "user" / GracefulLeave.Name);
                await receiver.Ask<LeavingGracefully>(LeaveGracefully.Instance, GracefulLeaveTimeout, ct).ConfigureAwait(false);
                return MembershipOutcome.Accepted;
            }
            catch (AskTimeoutException)
            {
                // Not answering (a node of an older version, or stalled): the cluster's own leave still works.
            }
        }
        Cluster.Leave(address);
        return MembershipOutcome.Accepted;
    }

    /// <summary>Marks the member down: the cluster removes it and moves its shards without waiting for it.</summary>
    public MembershipOutcome Down(Address address)
    {
        if (!IsMember(address)) return MembershipOutcome.NotAMember;
        Cluster.Down(address);
        return MembershipOutcome.Accepted;
    }

    /// <summary>Marks every member this node sees as unreachable down, and says which.</summary>
    public IReadOnlyList<Address> DownUnreachable()
    {
        var unreachable = Cluster.State.Unreachable.Select(m => m.Address).OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList();
        foreach (var address in unreachable) Cluster.Down(address);
        return unreachable;
    }

    /// <summary>Has this node join the cluster that the address belongs to (ignored by a node that is already a member).</summary>
    public void Join(Address address) => Cluster.Join(address);

    private bool IsMember(Address address) => Cluster.State.Members.Any(m => m.Address == address);
}
