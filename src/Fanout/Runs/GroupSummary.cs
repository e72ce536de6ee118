namespace Fanout;

/// <summary>Counts of a run's actions inside one group (see <see cref="Workflow.Group"/>).</summary>
/// <param name="Group">The group's path, with nested groups joined by <c>/</c>; empty for actions outside any group.</param>
/// <param name="Total">How many actions were started in the group.</param>
/// <param name="Counts">How many of them are in each status.</param>
public sealed record GroupSummary(string Group, int Total, IReadOnlyDictionary<ActionStatus, int> Counts);
