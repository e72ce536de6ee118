using System.Text;

namespace Fanout.TestKit;

/// <summary>
/// What a run did, read once for assertions: its summary, every action (paged in full), the group tree, and each
/// action's attempts on demand. Read it after the run ended (<see cref="RunHandle{TOut}.WaitAsync"/>); a report of a
/// running run is a snapshot. The <c>Assert...</c> methods throw <see cref="RunAssertionException"/> with a listing of
/// what ran when the run did something else.
/// </summary>
public sealed class RunReport
{
    private readonly Func<string, CancellationToken, Task<ActionDetail?>> _detail;

    private RunReport(RunSummary summary, IReadOnlyList<ActionInfo> actions, Func<string, CancellationToken, Task<ActionDetail?>> detail)
    {
        Summary = summary;
        Actions = actions;
        _detail = detail;
        // From the actions, which are all here: a summary lists at most RunSummary.MaxListedGroups groups.
        GroupTree = GroupNode.Build(GroupsOf(actions));
    }

    /// <summary>Each group's counts, in the order its first action started, as a summary would list them all.</summary>
    private static List<GroupSummary> GroupsOf(IReadOnlyList<ActionInfo> actions) =>
        actions.GroupBy(a => a.Group, StringComparer.Ordinal)
            .Select(g => new GroupSummary(g.Key, g.Count(), g.GroupBy(a => a.Status).ToDictionary(s => s.Key, s => s.Count())))
            .ToList();

    /// <summary>The run's summary: status and counts by status and group.</summary>
    public RunSummary Summary { get; }

    /// <summary>Every action of the run, the root first, in the order they were started.</summary>
    public IReadOnlyList<ActionInfo> Actions { get; }

    /// <summary>The run's groups as a tree; the root holds the actions started outside any group.</summary>
    public GroupNode GroupTree { get; }

    /// <summary>Reads the run's summary and all its actions.</summary>
    /// <exception cref="FanoutException">No run with this id was ever started.</exception>
    public static async Task<RunReport> ReadAsync<TOut>(RunHandle<TOut> run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var summary = await run.GetSummaryAsync(cancellationToken).ConfigureAwait(false);
        var actions = new List<ActionInfo>(summary.TotalActions);
        while (true)
        {
            var page = await run.GetActionsAsync(new ActionQuery(Offset: actions.Count, Limit: ActionQuery.MaxLimit), cancellationToken)
                .ConfigureAwait(false);
            actions.AddRange(page.Actions);
            if (page.Actions.Count < ActionQuery.MaxLimit) break;
        }
        return new RunReport(summary, actions, run.GetActionAsync);
    }

    /// <summary>The actions of <paramref name="task"/>, optionally only those in <paramref name="status"/>.</summary>
    public IReadOnlyList<ActionInfo> ActionsOf(TaskDefinition task, ActionStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Actions.Where(a => a.TaskName == task.Name && (status is null || a.Status == status)).ToList();
    }

    /// <summary>The actions started in <paramref name="group"/> or a group nested in it, optionally only those in <paramref name="status"/>.</summary>
    public IReadOnlyList<ActionInfo> ActionsIn(string group, ActionStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Actions.Where(a => InGroup(a, group) && (status is null || a.Status == status)).ToList();
    }

    /// <summary>One action in full: each attempt with when it ran and how it ended.</summary>
    /// <exception cref="ArgumentException">The action is not one of this run's.</exception>
    public async Task<ActionDetail> GetDetailAsync(ActionInfo action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return await _detail(action.ActionId, cancellationToken).ConfigureAwait(false)
               ?? throw new ArgumentException($"Run {Summary.RunId} has no action '{action.ActionId}'", nameof(action));
    }

    /// <summary>
    /// Asserts that <paramref name="task"/> ran as exactly <paramref name="count"/> actions (in <paramref name="group"/> or
    /// groups nested in it, when given), all of them in <paramref name="status"/> when given; returns them.
    /// </summary>
    /// <exception cref="RunAssertionException">It ran otherwise.</exception>
    public IReadOnlyList<ActionInfo> AssertRan(TaskDefinition task, int count, ActionStatus? status = null, string? group = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var ran = ActionsOf(task).Where(a => group is null || InGroup(a, group)).ToList();
        var otherStatus = ran.Where(a => status is not null && a.Status != status).ToList();
        if (ran.Count != count || otherStatus.Count > 0)
        {
            var what = $"{count} action(s) of {task.Name}" + (group is null ? "" : $" in group '{group}'") + (status is null ? "" : $", all {status}");
            var found = $"found {ran.Count}" + (otherStatus.Count == 0 ? "" : $", {otherStatus.Count} of them not {status}");
            throw Fail($"Expected {what}; {found}.");
        }
        return ran;
    }

    /// <summary>Asserts that every action of <paramref name="task"/> (at least one) took exactly <paramref name="attempts"/> attempts.</summary>
    /// <exception cref="RunAssertionException">None ran, or one took another number of attempts.</exception>
    public void AssertAttempts(TaskDefinition task, int attempts)
    {
        ArgumentNullException.ThrowIfNull(task);
        var ofTask = ActionsOf(task);
        if (ofTask.Count == 0) throw Fail($"Expected actions of {task.Name} with {attempts} attempt(s) each; none ran.");
        var other = ofTask.Where(a => a.Attempts != attempts).ToList();
        if (other.Count > 0)
            throw Fail($"Expected every action of {task.Name} to take {attempts} attempt(s); " +
                       string.Join(", ", other.Select(a => $"{a.ActionId} took {a.Attempts}")) + ".");
    }

    /// <summary>
    /// Asserts that the run's group tree holds exactly these groups, in any order: paths such as <c>phase-1/shard-0</c>,
    /// a group that only holds nested groups (<c>phase-1</c>) included.
    /// </summary>
    /// <exception cref="RunAssertionException">It used others, or not all of them.</exception>
    public void AssertGroups(params string[] groupPaths)
    {
        ArgumentNullException.ThrowIfNull(groupPaths);
        var used = GroupTree.Descendants().Select(g => g.Path).ToHashSet(StringComparer.Ordinal);
        var expected = groupPaths.ToHashSet(StringComparer.Ordinal);
        if (!used.SetEquals(expected))
            throw Fail($"Expected groups [{string.Join(", ", expected.Order())}]; the run used [{string.Join(", ", used.Order())}].");
    }

    /// <summary>Asserts the run ended in <paramref name="status"/>.</summary>
    /// <exception cref="RunAssertionException">It is in another status.</exception>
    public void AssertStatus(RunStatus status)
    {
        if (Summary.Status != status) throw Fail($"Expected the run to be {status}; it is {Summary.Status}.");
    }

    /// <summary>What ran: one line per task, group and status, with counts and attempts, then the group tree.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"Run {Summary.RunId} ({Summary.TaskName}): {Summary.Status}, {Actions.Count} action(s)");
        foreach (var line in Actions.GroupBy(a => (a.TaskName, a.Group, a.Status)).OrderBy(g => g.Key.TaskName).ThenBy(g => g.Key.Group))
        {
            var group = line.Key.Group.Length == 0 ? "" : $" in '{line.Key.Group}'";
            text.AppendLine().Append($"  {line.Key.TaskName}{group}: {line.Count()} {line.Key.Status}, attempts {string.Join("/", line.Select(a => a.Attempts).Distinct().Order())}");
        }
        return text.AppendLine().Append("Groups:").AppendLine().Append(GroupTree).ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Describe();

    private RunAssertionException Fail(string message) => new($"{message}\n{Describe()}");

    private static bool InGroup(ActionInfo action, string group) =>
        group.Length == 0 || action.Group == group || action.Group.StartsWith(group + "/", StringComparison.Ordinal);
}
