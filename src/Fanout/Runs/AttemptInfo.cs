namespace Fanout;

/// <summary>One attempt of an action: when and where it ran, and how it ended.</summary>
/// <param name="Number">The attempt's number, from 1.</param>
/// <param name="Node">The address of the node it was sent to (<c>host:port</c>), or null when the journal did not record it.</param>
/// <param name="StartedAt">When it was sent, or null when the journal did not record it.</param>
/// <param name="EndedAt">When it ended, or null while it runs or when the journal did not record it.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Error">The error it failed with, or why it was set aside or lost.</param>
public sealed record AttemptInfo(
    int Number,
    string? Node,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    AttemptOutcome Outcome,
    ActionError? Error);
