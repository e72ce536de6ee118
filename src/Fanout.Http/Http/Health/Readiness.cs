using Akka.Actor;
using Akka.Cluster;
using Fanout.Clustering;
using Fanout.Operations;

namespace Fanout.Http.Health;

/// <summary>
/// Whether this node should get traffic (<c>GET /health/ready</c>): it is an Up member of its cluster, its journal
/// answers, its executor is in its own directory (runs can place work here), and it is not draining to leave.
/// Each check is bounded, so a probe answers within a few seconds whatever hangs.
/// </summary>
internal sealed class Readiness(ActorSystem system, IActorRef directory, JournalProbe journal)
{
    private static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>What keeps the node from being ready; empty when it is.</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var cluster = Cluster.Get(system);
        var status = cluster.SelfMember.Status;
        if (status != MemberStatus.Up) problems.Add($"this node is {status.ToString().ToLowerInvariant()} in the cluster, not up");
        if (CoordinatedShutdown.Get(system).ShutdownReason is not null) problems.Add("this node is shutting down (draining its work)");
        if (await ExecutorProblemAsync(cluster.SelfAddress, ct).ConfigureAwait(false) is { } executor) problems.Add(executor);
        if (await journal.ProblemAsync().WaitAsync(JournalProbe.Timeout + TimeSpan.FromSeconds(1), ct).ConfigureAwait(false) is { } database)
            problems.Add(database);
        return problems;
    }

    private async Task<string?> ExecutorProblemAsync(Address self, CancellationToken ct)
    {
        KnownExecutors known;
        try
        {
            known = await directory.Ask<KnownExecutors>(GetKnownExecutors.Instance, DirectoryTimeout, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or InvalidOperationException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            // A stopped actor system fails the ask at once rather than timing out: equally, no answer.
            return $"this node's executor directory did not answer within {DirectoryTimeout.TotalSeconds:0} s";
        }
        var mine = known.Executors.FirstOrDefault(e => e.Entry.Node == self);
        if (mine is null) return "this node's executor is not registered in its executor directory yet";
        return mine.Draining ? "this node's executor is draining" : null;
    }
}
