namespace Fanout;

/// <summary>
/// Counts of a run's actions started directly in one group (see <see cref="Workflow.Group"/>); a group
/// nested in it has its own entry. (Filtering actions by group, by contrast, includes nested groups.)
/// </summary>
/// <param name="Group">The group's path, with nested groups joined by <c>/</c>; empty for actions outside any group.</param>
/// <param name="Total">How many actions were started in the group.</param>
/// <param name="Counts">How many of them are in each status.</param>
public sealed record GroupSummary(string Group, int Total, IReadOnlyDictionary<ActionStatus, int> Counts);
