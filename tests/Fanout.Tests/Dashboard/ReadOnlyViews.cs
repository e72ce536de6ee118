using Fanout.Clustering;
using Fanout.Operations;
using Fanout.Protocol;
using Fanout.Runtime.Index;
using Fanout.Views;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// A read-only <see cref="IRunViews"/> holding one running run of three actions, standing in for the journal viewer's
/// own views (helper dashjournal's JournalRunViews) in the host builder's spec.
/// </summary>
internal sealed class ReadOnlyViews : IRunViews
{
    public const string RunId = "journal-run";

    private static readonly DateTimeOffset Started = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    private static readonly ActionInfo[] Actions =
    [
        new(RunId, null, "env.root", "", ActionStatus.Running, 1, Started, null, null),
        new($"{RunId}/g/env.leaf#0", RunId, "env.leaf", "g", ActionStatus.Succeeded, 1, Started, Started.AddSeconds(1), null),
        new($"{RunId}/g/env.leaf#1", RunId, "env.leaf", "g", ActionStatus.Failed, 2, Started, Started.AddSeconds(2),
            new ActionError("System.Exception", "leaf broke", "at Leaf()")),
    ];

    private static readonly Dictionary<ActionStatus, int> Counts = new()
    {
        [ActionStatus.Running] = 1, [ActionStatus.Succeeded] = 1, [ActionStatus.Failed] = 1,
    };

    public bool ReadOnly => true;

    public IReadOnlyList<string> TaskNames => [];

    public Task<RunPresence> FindAsync(string runId, CancellationToken ct) =>
        Task.FromResult(runId == RunId ? RunPresence.Indexed : RunPresence.Unknown);

    public Task<RunListPage> ListRunsAsync(RunListQuery query, CancellationToken ct) =>
        Task.FromResult(new RunListPage([new RunListEntry(RunId, "env.root", RunStatus.Running, Started, null, 3, Counts, null, true)], null));

    public Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken ct) =>
        Task.FromResult(runId != RunId ? null : new RunSummary(RunId, "env.root", RunStatus.Running, Started, null, 3, Counts,
            [new GroupSummary("", 1, new Dictionary<ActionStatus, int> { [ActionStatus.Running] = 1 }),
             new GroupSummary("g", 2, new Dictionary<ActionStatus, int> { [ActionStatus.Succeeded] = 1, [ActionStatus.Failed] = 1 }),
             new GroupSummary(DashboardTasks.HostileGroup + "/b", 0, new Dictionary<ActionStatus, int>())], null));

    public async Task<RunPageView?> GetRunPageAsync(string runId, CancellationToken ct) =>
        await GetSummaryAsync(runId, ct) is { } summary
            ? new RunPageView(summary, new GroupTreeView(
            [
                new GroupFolderView("g", 2, new Dictionary<ActionStatus, int> { [ActionStatus.Succeeded] = 1, [ActionStatus.Failed] = 1 }, 0),
                new GroupFolderView(DashboardTasks.HostileGroup, 0, new Dictionary<ActionStatus, int>(), 1),
                new GroupFolderView(DashboardTasks.HostileGroup + "/b", 0, new Dictionary<ActionStatus, int>(), 0),
            ], 2))
            : null;

    public Task<ActionPage?> ListActionsAsync(string runId, ActionQuery query, CancellationToken ct) =>
        Task.FromResult(runId != RunId ? null : new ActionPage(Actions.Length, query.Offset, Actions.Skip(query.Offset).Take(query.Limit).ToList()));

    public Task<ActionLookup?> GetActionAsync(string runId, string actionId, CancellationToken ct) =>
        Task.FromResult(runId != RunId ? null : new ActionLookup(Actions.FirstOrDefault(a => a.ActionId == actionId) is { } action
            ? new ActionDetail(action, [new AttemptInfo(1, null, action.StartedAt, action.FinishedAt, AttemptOutcome.Succeeded, null)], "1", 1, null, 0)
            : null));

    public Task<ClusterView?> GetClusterAsync(CancellationToken ct) => Task.FromResult<ClusterView?>(null);

    public Task<ExecutorsView?> GetExecutorsAsync(CancellationToken ct) => Task.FromResult<ExecutorsView?>(null);
}
