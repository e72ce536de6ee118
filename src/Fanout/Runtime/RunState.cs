using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// A run's ledger in memory: the fold of its journaled entries. Applying an entry is the only way the
/// state changes, so recovery (replaying the journal) and live operation build the same state.
/// </summary>
internal sealed class RunState(string runId)
{
    private readonly Dictionary<string, ActionRecord> _actions = new(StringComparer.Ordinal);
    private readonly List<ActionRecord> _startOrder = [];
    private readonly Dictionary<ActionStatus, int> _counts = new();
    private readonly Dictionary<string, Dictionary<ActionStatus, int>> _groupCounts = new(StringComparer.Ordinal);
    private readonly List<string> _groupOrder = [];

    public string RunId { get; } = runId;
    public bool Exists => RootTask is not null;
    public string? RootTask { get; private set; }
    public RunStatus Status { get; private set; } = RunStatus.Running;
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public bool IsFinished => Exists && Status != RunStatus.Running;
    public ActionRecord? Root => _actions.GetValueOrDefault(RunId);
    public int ActionCount => _actions.Count;

    /// <summary>Whether any action is still running or waiting for a retry, read from the counts, not a scan.</summary>
    public bool HasUnfinishedActions =>
        _counts.GetValueOrDefault(ActionStatus.Running) + _counts.GetValueOrDefault(ActionStatus.Retrying) > 0;
    public IEnumerable<ActionRecord> Actions => _startOrder;

    public ActionRecord? Find(string actionId) => _actions.GetValueOrDefault(actionId);

    public void Apply(LedgerEntry entry)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(entry.AtMs);
        switch (entry.Kind)
        {
            case LedgerEntryKind.RunStarted:
                RootTask = entry.TaskName;
                StartedAt = at;
                Status = RunStatus.Running;
                break;
            case LedgerEntryKind.ActionRequested:
                AddAction(new ActionRecord(entry.ActionId!, entry.ParentId, entry.TaskName!, entry.Group ?? "",
                    entry.InputJson ?? "null", entry.Options!, at));
                break;
            case LedgerEntryKind.AttemptStarted:
            {
                var action = _actions[entry.ActionId!];
                action.Attempts = entry.Attempt;
                SetStatus(action, ActionStatus.Running);
                break;
            }
            case LedgerEntryKind.AttemptFailed:
            {
                var action = _actions[entry.ActionId!];
                action.FailedAttempts++;
                action.Error = entry.Error;
                SetStatus(action, ActionStatus.Retrying);
                break;
            }
            case LedgerEntryKind.ActionSucceeded:
                Finish(entry.ActionId!, ActionStatus.Succeeded, at, entry.ResultJson, error: null);
                break;
            case LedgerEntryKind.ActionFailed:
                Finish(entry.ActionId!, ActionStatus.Failed, at, result: null, entry.Error);
                break;
            case LedgerEntryKind.ActionCancelled:
                Finish(entry.ActionId!, ActionStatus.Cancelled, at, result: null, error: null);
                break;
            case LedgerEntryKind.RunFinished:
                Status = entry.RunStatus ?? RunStatus.Failed;
                FinishedAt = at;
                break;
            default:
                throw new InvalidOperationException($"Unknown ledger entry kind {entry.Kind}");
        }
    }

    public RunSummary ToSummary()
    {
        var groups = _groupOrder
            .Select(g => new GroupSummary(g, _groupCounts[g].Values.Sum(), NonZero(_groupCounts[g])))
            .ToList();
        return new RunSummary(RunId, RootTask ?? "", Status, StartedAt, FinishedAt, _actions.Count,
            NonZero(_counts), groups, Status == RunStatus.Failed ? Root?.Error?.ToPublic() : null);
    }

    private static Dictionary<ActionStatus, int> NonZero(Dictionary<ActionStatus, int> counts) =>
        counts.Where(pair => pair.Value > 0).ToDictionary(pair => pair.Key, pair => pair.Value);

    public ActionPage Query(ActionQuery query)
    {
        IEnumerable<ActionRecord> matching = _startOrder;
        if (query.Status is { } status) matching = matching.Where(a => a.Status == status);
        if (!string.IsNullOrEmpty(query.Group))
        {
            var group = query.Group;
            var nested = group + "/";
            matching = matching.Where(a => a.Group == group || a.Group.StartsWith(nested, StringComparison.Ordinal));
        }

        var total = 0;
        var page = new List<ActionInfo>(Math.Min(query.Limit, 1000));
        foreach (var action in matching)
        {
            if (total >= query.Offset && page.Count < query.Limit) page.Add(action.ToInfo());
            total++;
        }
        return new ActionPage(total, query.Offset, page);
    }

    private void AddAction(ActionRecord action)
    {
        _actions.Add(action.Id, action);
        _startOrder.Add(action);
        if (!_groupCounts.ContainsKey(action.Group))
        {
            _groupCounts[action.Group] = new Dictionary<ActionStatus, int>();
            _groupOrder.Add(action.Group);
        }
        Count(action, +1);
    }

    private void Finish(string actionId, ActionStatus status, DateTimeOffset at, string? result, ErrorInfo? error)
    {
        var action = _actions[actionId];
        action.ResultJson = result;
        if (error is not null) action.Error = error;
        action.FinishedAt = at;
        SetStatus(action, status);
    }

    private void SetStatus(ActionRecord action, ActionStatus status)
    {
        if (action.Status == status) return;
        Count(action, -1);
        action.Status = status;
        Count(action, +1);
    }

    private void Count(ActionRecord action, int delta)
    {
        _counts[action.Status] = _counts.GetValueOrDefault(action.Status) + delta;
        var group = _groupCounts[action.Group];
        group[action.Status] = group.GetValueOrDefault(action.Status) + delta;
    }
}
