using Fanout.Clustering;
using Fanout.Operations;
using Fanout.Runtime.Index;

namespace Fanout.Views;

/// <summary>
/// What the run pages and the JSON read routes show, wherever it comes from: a live runtime's run entities and
/// cluster (<see cref="LiveRunViews"/>), or a journal read with no runtime running (<c>fanout ui --db</c>), which
/// can show runs but neither act on them nor show a cluster. Each method answers from counts and indexes: none
/// walks a run's actions.
/// </summary>
internal interface IRunViews
{
    /// <summary>True when nothing can be changed through these views (no cancel, no start) and there is no cluster.</summary>
    bool ReadOnly { get; }

    /// <summary>The full names of the tasks a run may be started with here; empty when read-only.</summary>
    IReadOnlyList<string> TaskNames { get; }

    /// <summary>Whether the runs index knows the run, without starting or recovering it.</summary>
    Task<RunPresence> FindAsync(string runId, CancellationToken ct);

    /// <summary>A page of the runs index, newest first.</summary>
    Task<RunListPage> ListRunsAsync(RunListQuery query, CancellationToken ct);

    /// <summary>The run's summary, or null when no such run was ever started.</summary>
    Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken ct);

    /// <summary>The run's summary with the group folders its page draws (a bounded part), or null when no such run was ever started.</summary>
    Task<RunPageView?> GetRunPageAsync(string runId, CancellationToken ct);

    /// <summary>A page of the run's actions, or null when no such run was ever started.</summary>
    Task<ActionPage?> ListActionsAsync(string runId, ActionQuery query, CancellationToken ct);

    /// <summary>
    /// One action in full, or null when no such run was ever started; a reply whose detail is null means the run
    /// has no such action.
    /// </summary>
    Task<ActionLookup?> GetActionAsync(string runId, string actionId, CancellationToken ct);

    /// <summary>The cluster as this node sees it, or null when read-only.</summary>
    Task<ClusterView?> GetClusterAsync(CancellationToken ct);

    /// <summary>Every executor's load, or null when read-only.</summary>
    Task<ExecutorsView?> GetExecutorsAsync(CancellationToken ct);
}

/// <summary>The answer to <see cref="IRunViews.GetActionAsync"/> for a run that exists: the action, or null when it has no such action.</summary>
internal sealed record ActionLookup(ActionDetail? Detail);
