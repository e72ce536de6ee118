namespace Fanout;

/// <summary>One action of a run, as its journal records it.</summary>
/// <param name="ActionId">The action's deterministic id: parent, group, task and call position.</param>
/// <param name="ParentId">The id of the action that called it; null for the run's root action.</param>
/// <param name="TaskName">The full name of the task it runs.</param>
/// <param name="Group">The group path it was started in; empty outside any group.</param>
/// <param name="Status">Its status.</param>
/// <param name="Attempts">How many times it was started (a start on a node that then died counts).</param>
/// <param name="StartedAt">When it was first started.</param>
/// <param name="FinishedAt">When it ended, or null while it runs.</param>
/// <param name="Error">The error of its last failed attempt, if any.</param>
public sealed record ActionInfo(
    string ActionId,
    string? ParentId,
    string TaskName,
    string Group,
    ActionStatus Status,
    int Attempts,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    ActionError? Error);
