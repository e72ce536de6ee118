namespace Fanout;

/// <summary>One run as the runs index lists it: what it is, where it is, and its actions counted by status.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="TaskName">The full name of the run's root task.</param>
/// <param name="Status">The run's status when the index was last written (while it runs, at most about a second old).</param>
/// <param name="StartedAt">When the run was started.</param>
/// <param name="FinishedAt">When the run ended, or null while it runs.</param>
/// <param name="TotalActions">How many actions the run had started, the root included.</param>
/// <param name="Counts">How many actions were in each status.</param>
/// <param name="Error">Why a failed run failed (the root action's error type and message; no stack trace).</param>
/// <param name="CallerChosenId">Whether the run's id was given by its caller (<see cref="RunOptions.RunId"/>) rather than made up.</param>
public sealed record RunListEntry(
    string RunId,
    string TaskName,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int TotalActions,
    IReadOnlyDictionary<ActionStatus, int> Counts,
    ActionError? Error,
    bool CallerChosenId);
