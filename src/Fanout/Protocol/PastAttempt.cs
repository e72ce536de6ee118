namespace Fanout.Protocol;

/// <summary>
/// An attempt of an action that ended before its latest one started (or a latest one that ended while the action
/// goes on: failed and waiting for its retry, set aside). Kept only for actions with more than one attempt, so
/// a run of a million actions that each ran once holds none. Times are Unix ms, 0 when not known (a journal
/// or snapshot written before attempts were recorded one by one); <see cref="Node"/> null likewise.
/// </summary>
internal readonly record struct PastAttempt(
    int Number, string? Node, long StartedAtMs, long EndedAtMs, AttemptOutcome Outcome, ErrorInfo? Error);
