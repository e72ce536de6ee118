using Fanout.Clustering;
using Fanout.Operations;
using Fanout.Runtime;
using Fanout.Runtime.Index;

namespace Fanout.Views;

/// <summary>The views of a running node: its run entities (through <see cref="RunClient"/>), its runs index and its cluster.</summary>
internal sealed class LiveRunViews(RunClient runs, RunsIndexStore index, ClusterInspector cluster) : IRunViews
{
    private readonly ExecutorsInspector _executors = new(cluster.Directory);

    public bool ReadOnly => false;

    public IReadOnlyList<string> TaskNames => TaskCatalog.Names.Order(StringComparer.Ordinal).ToList();

    public Task<RunPresence> FindAsync(string runId, CancellationToken ct) => index.FindAsync(runId, ct);

    public Task<RunListPage> ListRunsAsync(RunListQuery query, CancellationToken ct) => index.ListAsync(query, ct);

    public Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken ct) => runs.GetSummaryAsync(runId, ct);

    public async Task<RunPageView?> GetRunPageAsync(string runId, CancellationToken ct) =>
        await runs.GetSummaryReplyAsync(runId, withGroupTree: true, ct).ConfigureAwait(false) is { Summary: { } summary } reply
            ? new RunPageView(summary, reply.GroupTree ?? new([], 0))
            : null;

    public Task<ActionPage?> ListActionsAsync(string runId, ActionQuery query, CancellationToken ct) => runs.ListActionsAsync(runId, query, ct);

    public async Task<ActionLookup?> GetActionAsync(string runId, string actionId, CancellationToken ct) =>
        await runs.GetActionAsync(runId, actionId, ct).ConfigureAwait(false) is { } reply ? new ActionLookup(reply.Detail) : null;

    public async Task<ClusterView?> GetClusterAsync(CancellationToken ct) => await cluster.GetAsync(ct).ConfigureAwait(false);

    public async Task<ExecutorsView?> GetExecutorsAsync(CancellationToken ct) => await _executors.GetAsync(ct).ConfigureAwait(false);
}
