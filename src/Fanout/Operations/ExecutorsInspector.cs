using Akka.Actor;
using Fanout.Clustering;

namespace Fanout.Operations;

/// <summary>What <c>GET /executors</c> shows: every executor in this node's directory, as it answered.</summary>
internal sealed record ExecutorsView(IReadOnlyList<ExecutorView> Executors);

/// <summary>
/// One executor: its node and roles, then either its load (slots, busy, waiting, how many may wait, by run) or
/// <see cref="Error"/> saying why there is none.
/// </summary>
internal sealed record ExecutorView(string Node, IReadOnlyList<string> Roles, bool Reachable, int? Slots = null, int? Busy = null,
    int? Waiting = null, int? MaxWaiting = null, bool? Draining = null, IReadOnlyList<RunLoad>? Runs = null, string? Error = null);

/// <summary>
/// Asks every executor this node's <see cref="ExecutorDirectory"/> has found (usable by runs or not: an unreachable
/// or draining one is what an operator looks for) for its <see cref="ExecutorStatus"/>, all at once and each with a
/// short timeout, so one executor that does not answer (its node stalled or dying) shows as an error beside the
/// others instead of failing the answer.
/// </summary>
internal sealed class ExecutorsInspector(IActorRef directory)
{
    private static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExecutorTimeout = TimeSpan.FromSeconds(2);

    public async Task<ExecutorsView> GetAsync(CancellationToken ct)
    {
        var listed = await directory.Ask<KnownExecutors>(GetKnownExecutors.Instance, DirectoryTimeout, ct).ConfigureAwait(false);
        var views = await Task.WhenAll(listed.Executors.Select(entry => AskAsync(entry, ct))).ConfigureAwait(false);
        return new ExecutorsView(views);
    }

    private static async Task<ExecutorView> AskAsync(KnownExecutor known, CancellationToken ct)
    {
        var (entry, reachable) = (known.Entry, !known.Unreachable);
        var node = entry.Node.ToString();
        var roles = entry.Roles.Order(StringComparer.Ordinal).ToList();
        try
        {
            var s = await entry.Executor.Ask<ExecutorStatus>(GetExecutorStatus.Instance, ExecutorTimeout, ct).ConfigureAwait(false);
            return new ExecutorView(node, roles, reachable, s.Slots, s.Busy, s.Waiting, s.MaxWaiting, s.Draining || known.Draining, s.Runs);
        }
        catch (AskTimeoutException)
        {
            var why = reachable ? "" : " (its node is unreachable)";
            return new ExecutorView(node, roles, reachable, Draining: known.Draining,
                Error: $"the executor did not answer within {ExecutorTimeout.TotalSeconds:0} s{why}");
        }
    }
}
