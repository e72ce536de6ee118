using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// A run's ledger in memory: the fold of its journaled entries (on top of a snapshot, when it has one).
/// Applying an entry is the only way the state changes, so recovery and live operation build the same state.
///
/// A run may hold a million actions: counts and an index by status, group and task are kept as entries apply
/// (<see cref="ActionIndex"/>), so a summary or a page never walks the run, and task names, groups, parent ids,
/// options and nodes are stored once. Each record keeps its latest attempt's node and start; the attempts before
/// it are kept beside it (<see cref="AttemptLog"/>) only for the few actions that had more than one.
/// </summary>
internal sealed class RunState(string runId)
{
    // Each action's position in start order: what the index (counts, lists by group and task, status bits) keys on.
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly List<ActionRecord> _startOrder = [];
    private readonly ActionIndex _index = new();
    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private readonly Dictionary<CallOptions, CallOptions> _sharedOptions = new();

    // The nodes the run sent attempts to, in the order its entries first named them: entries refer to them by
    // number (LedgerEntry.NodeRef), and every record of an attempt there shares the one string.
    private readonly List<string> _nodes = [];
    private readonly Dictionary<string, int> _nodeRefs = new(StringComparer.Ordinal);

    // Earlier attempts, only for actions that had more than one (or whose latest ended and another is to come).
    private readonly Dictionary<ActionRecord, AttemptLog> _attemptLogs = new(ReferenceEqualityComparer.Instance);

    public string RunId { get; } = runId;
    public bool Exists => RootTask is not null;
    public string? RootTask { get; private set; }
    public RunStatus Status { get; private set; } = RunStatus.Running;
    public long StartedAtMs { get; private set; }
    public long FinishedAtMs { get; private set; }
    public bool IsFinished => Exists && Status != RunStatus.Running;
    public ActionRecord? Root => Find(RunId);
    public int ActionCount => _startOrder.Count;

    /// <summary>Whether any action has not ended yet, read from the counts, not a scan.</summary>
    public bool HasUnfinishedActions =>
        CountOf(ActionStatus.Queued) + CountOf(ActionStatus.Running) + CountOf(ActionStatus.Retrying) > 0;

    public IReadOnlyList<ActionRecord> Actions => _startOrder;

    public int CountOf(ActionStatus status) => _index.CountOf(status);

    public ActionRecord? Find(string actionId) => _positions.TryGetValue(actionId, out var position) ? _startOrder[position] : null;

    /// <summary>The action in full (its attempts with their nodes and times), or null when the run has no such action.</summary>
    public ActionDetail? Detail(string actionId) =>
        Find(actionId) is { } action ? action.ToDetail(_attemptLogs.GetValueOrDefault(action)) : null;

    /// <summary>
    /// What an entry starting an attempt on <paramref name="node"/> carries: the node's number in the run's table,
    /// and the node itself when the table does not have it yet (applying the entry adds it).
    /// </summary>
    public (int Ref, string? NewNode) NodeRefFor(string node) =>
        _nodeRefs.TryGetValue(node, out var known) ? (known, null) : (_nodes.Count + 1, node);

    /// <summary>The nodes attempts were sent to, in the order the run first recorded them (for snapshots).</summary>
    public IReadOnlyList<string> Nodes => _nodes;

    public void Apply(LedgerEntry entry)
    {
        switch (entry.Kind)
        {
            case LedgerEntryKind.RunStarted:
                RootTask = entry.TaskName;
                StartedAtMs = entry.AtMs;
                Status = RunStatus.Running;
                break;
            case LedgerEntryKind.ActionRequested:
            {
                var position = AddAction(new ActionRecord(entry.ActionId!, Shared(entry.ParentId), Shared(entry.TaskName)!,
                    Shared(entry.Group ?? "")!, entry.InputJson ?? "null", Shared(entry.Options!), entry.AtMs));
                // A call that had room under the in-flight limit started its first attempt in the same entry.
                if (entry.Attempt > 0) StartAttempt(position, entry);
                break;
            }
            case LedgerEntryKind.AttemptStarted:
                StartAttempt(_positions[entry.ActionId!], entry);
                break;
            case LedgerEntryKind.AttemptFailed:
            {
                var position = _positions[entry.ActionId!];
                var action = _startOrder[position];
                action.FailedAttempts++;
                action.Error = entry.Error;
                // Earlier failures keep type and message; the stack trace stays only on the action's latest error.
                EndLatestAttempt(action, entry.AtMs, AttemptOutcome.Failed,
                    entry.Error is { } e ? new ErrorInfo(e.Type, e.Message, null) : null);
                SetStatus(position, ActionStatus.Retrying);
                break;
            }
            case LedgerEntryKind.AttemptInterrupted:
            {
                // Its next attempt follows in this entry's write or a later one; until then no attempt is out.
                // (An earlier attempt set aside while a later one runs changes nothing but the count.)
                var position = _positions[entry.ActionId!];
                var action = _startOrder[position];
                action.InterruptedAttempts++;
                if (entry.Attempt == action.Attempts)
                {
                    EndLatestAttempt(action, entry.AtMs, AttemptOutcome.Interrupted, entry.Error);
                    SetStatus(position, ActionStatus.Queued);
                }
                else
                {
                    // Taken for lost when the next one started; it was set aside.
                    _attemptLogs.GetValueOrDefault(action)?.Replace(entry.Attempt,
                        p => p with { Outcome = AttemptOutcome.Interrupted, EndedAtMs = entry.AtMs, Error = entry.Error });
                }
                break;
            }
            case LedgerEntryKind.ActionSucceeded:
                Finish(entry.ActionId!, ActionStatus.Succeeded, entry.AtMs, entry.ResultJson, error: null);
                break;
            case LedgerEntryKind.ActionFailed:
            {
                // Failed by the run, not by its latest attempt's report (lost too often, no node came): that attempt was lost.
                var action = Find(entry.ActionId!)!;
                if (action.Status == ActionStatus.Running && entry.Attempt != action.Attempts && action.Attempts > 0)
                    EndLatestAttempt(action, endedAtMs: 0, AttemptOutcome.Lost, error: null);
                Finish(entry.ActionId!, ActionStatus.Failed, entry.AtMs, result: null, entry.Error);
                break;
            }
            case LedgerEntryKind.ActionCancelled:
                Finish(entry.ActionId!, ActionStatus.Cancelled, entry.AtMs, result: null, error: null);
                break;
            case LedgerEntryKind.RunFinished:
                Status = entry.RunStatus ?? RunStatus.Failed;
                FinishedAtMs = entry.AtMs;
                break;
            default:
                throw new InvalidOperationException($"Unknown ledger entry kind {entry.Kind}");
        }
    }

    public RunSummary ToSummary()
    {
        var groups = new List<GroupSummary>();
        var chars = 0;
        foreach (var (group, counts) in _index.Groups)
        {
            if (groups.Count == RunSummary.MaxListedGroups || (chars += group.Length) > GroupTreeLimits.MaxListedGroupChars) break;
            groups.Add(new GroupSummary(group, counts.Sum(), GroupFolders.NonZero(counts)));
        }
        return new RunSummary(RunId, RootTask ?? "", Status, DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs),
            FinishedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(FinishedAtMs) : null, _startOrder.Count,
            GroupFolders.NonZero(_index.Counts), groups, Status == RunStatus.Failed ? Root?.Error?.ToPublic() : null)
        {
            GroupsNotListed = _index.GroupCount - groups.Count,
        };
    }

    /// <summary>The group folders a run page shows: bounded, whatever the run's number of groups (see <see cref="GroupFolders.View"/>).</summary>
    public GroupTreeView ToGroupTree() =>
        _index.Folders.View(GroupTreeLimits.MaxFolders, GroupTreeLimits.MaxChildren, GroupTreeLimits.MaxPathChars);

    /// <summary>
    /// One page of the run's actions in start order, filtered by status, group (nested groups included) and task.
    /// Totals come from counts and pages are read by position from the run's index, so no page walks the run.
    /// </summary>
    public ActionPage Query(ActionQuery query) => _index.Query(query, _startOrder);

    // ---- snapshots ----------------------------------------------------------------------------

    /// <summary>
    /// The state encoded as a snapshot, now: the bytes are final when this returns, so the run goes on
    /// changing the state while the snapshot store writes them. No copy of the records is made.
    /// </summary>
    public EncodedRunSnapshot Encode()
    {
        var run = new RunSnapshot(RunId, RootTask, Status, StartedAtMs, FinishedAtMs, [], _nodes);
        var actions = _startOrder.Select(a =>
        {
            var log = _attemptLogs.GetValueOrDefault(a);
            return new ActionSnapshot(a.Id, a.ParentId, a.TaskName, a.Group, a.InputJson,
                a.Options, a.StartedAtMs, a.Status, a.Attempts, a.FailedAttempts, a.FinishedAtMs, a.ResultJson, a.Error,
                a.InterruptedAttempts, a.Node, a.AttemptStartedAtMs(log), log?.Ended);
        });
        return new EncodedRunSnapshot(RunSnapshotCodec.Write(run, _startOrder.Count, actions));
    }

    /// <summary>The state a snapshot store handed back, as the run's entity and the journal viewer recover it.</summary>
    public static RunState FromStored(string runId, object stored) => FromSnapshot(stored switch
    {
        RunSnapshot snapshot => snapshot,
        // A snapshot store that keeps objects instead of bytes (the in-memory one) hands back what was saved.
        EncodedRunSnapshot encoded => RunSnapshotCodec.Read(encoded.Bytes),
        var other => throw new InvalidOperationException($"Run {runId} cannot recover from a snapshot of type {other.GetType()}"),
    });

    public static RunState FromSnapshot(RunSnapshot snapshot)
    {
        var state = new RunState(snapshot.RunId)
        {
            RootTask = snapshot.RootTask,
            Status = snapshot.Status,
            StartedAtMs = snapshot.StartedAtMs,
            FinishedAtMs = snapshot.FinishedAtMs,
        };
        foreach (var node in snapshot.Nodes ?? []) state.AddNode(node);
        foreach (var a in snapshot.Actions)
        {
            var position = state.AddAction(new ActionRecord(a.Id, state.Shared(a.ParentId), state.Shared(a.TaskName)!,
                state.Shared(a.Group)!, a.InputJson, state.Shared(a.Options), a.StartedAtMs));
            var action = state._startOrder[position];
            action.Attempts = a.Attempts;
            action.FailedAttempts = a.FailedAttempts;
            action.InterruptedAttempts = a.InterruptedAttempts;
            action.FinishedAtMs = a.FinishedAtMs;
            action.ResultJson = a.ResultJson;
            action.Error = a.Error;
            action.Node = a.Node is null ? null : state.SharedNode(a.Node);
            if (a.EarlierAttempts is { Count: > 0 } earlier)
                state.LogOf(action).Ended.AddRange(earlier.Select(p => p with { Node = p.Node is null ? null : state.SharedNode(p.Node) }));
            if (!action.SetAttemptStartedAtMs(a.AttemptStartedAtMs)) state.LogOf(action).LatestStartedAtMs = a.AttemptStartedAtMs;
            state.SetStatus(position, a.Status);
        }
        return state;
    }

    // ---- applying -----------------------------------------------------------------------------

    /// <summary>Adds the action at the end of the start order; returns its position.</summary>
    private int AddAction(ActionRecord action)
    {
        var position = _startOrder.Count;
        _positions.Add(action.Id, position);
        _startOrder.Add(action);
        _index.Add(action, position);
        return position;
    }

    private void StartAttempt(int position, LedgerEntry entry)
    {
        var action = _startOrder[position];
        AttemptLog? log = null;
        if (action.Attempts > 0)
        {
            // The one before never reported back (no failure or hand-back is journaled for it): it was lost.
            EndLatestAttempt(action, endedAtMs: 0, AttemptOutcome.Lost, error: null);
            log = _attemptLogs[action];
        }
        action.Attempts = entry.Attempt;
        action.Node = NodeOf(entry);
        if (!action.SetAttemptStartedAtMs(entry.AtMs)) LogOf(action).LatestStartedAtMs = entry.AtMs;
        else if (log is not null) log.LatestStartedAtMs = null;
        SetStatus(position, ActionStatus.Running);
    }

    /// <summary>The action's latest attempt ended (at <paramref name="endedAtMs"/>; 0: not known) and the action goes on: into its log, once.</summary>
    private void EndLatestAttempt(ActionRecord action, long endedAtMs, AttemptOutcome outcome, ErrorInfo? error)
    {
        var log = LogOf(action);
        if (log.Has(action.Attempts)) return;
        log.Ended.Add(new PastAttempt(action.Attempts, action.Node, action.AttemptStartedAtMs(log), endedAtMs, outcome, error));
    }

    private AttemptLog LogOf(ActionRecord action)
    {
        if (!_attemptLogs.TryGetValue(action, out var log)) _attemptLogs[action] = log = new AttemptLog();
        return log;
    }

    private string AddNode(string node)
    {
        if (_nodeRefs.TryGetValue(node, out var known)) return _nodes[known - 1];
        _nodes.Add(node);
        _nodeRefs[node] = _nodes.Count;
        return node;
    }

    /// <summary>The run's one instance of a node's name (a snapshot's reader makes one per mention).</summary>
    private string SharedNode(string node) => _nodeRefs.TryGetValue(node, out var known) ? _nodes[known - 1] : Shared(node)!;

    /// <summary>The node an entry that starts an attempt names, adding it to the run's table the first time.</summary>
    private string? NodeOf(LedgerEntry entry)
    {
        if (entry.Node is { } named) return AddNode(named);
        return entry.NodeRef is { } reference && reference >= 1 && reference <= _nodes.Count ? _nodes[reference - 1] : null;
    }

    private void Finish(string actionId, ActionStatus status, long atMs, string? result, ErrorInfo? error)
    {
        var position = _positions[actionId];
        var action = _startOrder[position];
        action.ResultJson = result;
        if (error is not null) action.Error = error;
        action.FinishedAtMs = atMs;
        SetStatus(position, status);
    }

    private void SetStatus(int position, ActionStatus status)
    {
        var action = _startOrder[position];
        if (action.Status == status) return;
        _index.ChangeStatus(action, position, action.Status, status);
        action.Status = status;
    }

    /// <summary>One instance per distinct value: a fan-out's records share their parent, task and group.</summary>
    private string? Shared(string? value)
    {
        if (value is null) return null;
        if (_shared.TryGetValue(value, out var shared)) return shared;
        // Parent ids are the only values with many distinct instances; bound the table anyway.
        if (_shared.Count < 100_000) _shared[value] = value;
        return value;
    }

    private CallOptions Shared(CallOptions options)
    {
        if (_sharedOptions.TryGetValue(options, out var shared)) return shared;
        if (_sharedOptions.Count < 10_000) _sharedOptions[options] = options;
        return options;
    }
}
