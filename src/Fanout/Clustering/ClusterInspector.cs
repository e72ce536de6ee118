using Akka.Actor;
using Akka.Cluster;

namespace Fanout.Clustering;

/// <summary>What <c>GET /cluster</c> shows: this node, the members it sees, and the executors its runs may use.</summary>
internal sealed record ClusterView(string Self, IReadOnlyList<string> SelfRoles, string? Leader,
    IReadOnlyList<ClusterMemberView> Members, IReadOnlyList<string> Executors);

/// <summary>One member as this node sees it; <see cref="AppVersion"/> is the version the member joined with (Akka's <c>app-version</c>).</summary>
internal sealed record ClusterMemberView(string Address, string Status, bool Reachable, IReadOnlyList<string> Roles, string AppVersion);

/// <summary>Reads the cluster's membership and this node's executor directory, for the HTTP API (like <c>pbm cluster show</c>).</summary>
internal sealed class ClusterInspector(ActorSystem system, IActorRef directory)
{
    /// <summary>The node's actor system, for the operator endpoints (OperatorApi) built beside this one.</summary>
    public ActorSystem System => system;

    /// <summary>This node's <see cref="ExecutorDirectory"/>.</summary>
    public IActorRef Directory => directory;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public async Task<ClusterView> GetAsync(CancellationToken ct)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var executors = await directory.Ask<ExecutorsChanged>(GetExecutors.Instance, AskTimeout, ct).ConfigureAwait(false);
        return new ClusterView(
            cluster.SelfAddress.ToString(),
            cluster.SelfRoles.Order(StringComparer.Ordinal).ToList(),
            state.Leader?.ToString(),
            state.Members.Select(m => new ClusterMemberView(m.Address.ToString(), m.Status.ToString(), !unreachable.Contains(m.Address),
                m.Roles.Order(StringComparer.Ordinal).ToList(), m.AppVersion.ToString())).ToList(),
            executors.Executors.Select(e => e.Node.ToString()).ToList());
    }
}

/// <summary>Asks the directory for its current list, answered by <see cref="ExecutorsChanged"/>. Local only.</summary>
internal sealed class GetExecutors : INoSerializationVerificationNeeded
{
    public static readonly GetExecutors Instance = new();
}
