namespace Fanout;

/// <summary>A run's state at the moment it was asked: its status, and its actions counted by status and group.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="TaskName">The full name of the run's root task.</param>
/// <param name="Status">The run's status.</param>
/// <param name="StartedAt">When the run was started.</param>
/// <param name="FinishedAt">When the run ended, or null while it runs.</param>
/// <param name="TotalActions">How many actions the run has started, the root included.</param>
/// <param name="Counts">How many actions are in each status.</param>
/// <param name="Groups">
/// Counts per group, in the order the groups were first used: the first <see cref="MaxListedGroups"/> groups
/// (fewer when their names are very long), so that a summary stays small enough to send between nodes however
/// many groups a run has; <see cref="GroupsNotListed"/> counts the rest. Page a group's actions
/// (<see cref="ActionQuery"/>) to read one that is not listed.
/// </param>
/// <param name="Error">The root action's error when the run failed.</param>
public sealed record RunSummary(
    string RunId,
    string TaskName,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int TotalActions,
    IReadOnlyDictionary<ActionStatus, int> Counts,
    IReadOnlyList<GroupSummary> Groups,
    ActionError? Error)
{
    /// <summary>
    /// What the run waits for that it cannot bring about itself, such as a live node with the role its
    /// actions need (see <see cref="FanoutRuntimeOptions.PlacementTimeout"/>); null when it waits for nothing.
    /// </summary>
    public string? WaitingFor { get; init; }

    /// <summary>How many of the run's groups <see cref="Groups"/> leaves out (0 unless the run has more than <see cref="MaxListedGroups"/>).</summary>
    public int GroupsNotListed { get; init; }

    /// <summary>The most groups <see cref="Groups"/> lists.</summary>
    public const int MaxListedGroups = 1000;
}
