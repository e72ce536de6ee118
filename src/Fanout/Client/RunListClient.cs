using Akka.Actor;
using Akka.Cluster;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime.Index;

namespace Fanout;

/// <summary>
/// How a client member lists runs: it asks the <see cref="RunsIndexReader"/> of an Up, reachable worker, and the next
/// one if that one does not answer in time.
/// </summary>
internal sealed class RunListClient(ActorSystem system)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    public async Task<RunListPage> ListAsync(RunListQuery query, CancellationToken ct)
    {
        var state = Cluster.Get(system).State;
        var workers = state.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(FanoutRoles.Worker) && !state.Unreachable.Contains(m))
            .Select(m => m.Address)
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        foreach (var worker in workers)
        {
            RunsListed answer;
            try
            {
                answer = await system.ActorSelection(new RootActorPath(worker) / "user" / RunsIndexReader.Name)
                    .Ask<RunsListed>(new ListRuns(query), AnswerTimeout, ct).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                continue;
            }
            if (answer.Refused is { } refused) throw new ArgumentException(refused, nameof(query));
            if (answer.Page is { } page) return page;
            throw new FanoutException($"Listing runs failed on the worker at {worker}: {answer.Failed}");
        }
        throw new FanoutException(workers.Count == 0
            ? "No worker node is up and reachable in the cluster to list runs from"
            : $"None of the worker nodes [{string.Join(", ", workers)}] answered a list of runs within {AnswerTimeout.TotalSeconds:0} s");
    }
}
