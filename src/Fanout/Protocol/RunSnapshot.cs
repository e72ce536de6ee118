namespace Fanout.Protocol;

/// <summary>
/// A run's whole state at one journal position, so recovering a run of a million actions reads one
/// snapshot and the entries after it instead of every entry since the start. Written in a compact binary
/// form (<see cref="RunSnapshotCodec"/>), not JSON: it is the largest thing Fanout stores. <see cref="Nodes"/> is
/// the run's node table (entries after the snapshot refer to it by number).
/// </summary>
internal sealed record RunSnapshot(
    string RunId, string? RootTask, RunStatus Status, long StartedAtMs, long FinishedAtMs,
    IReadOnlyList<ActionSnapshot> Actions, IReadOnlyList<string>? Nodes = null) : IFanoutMessage;

/// <summary>
/// A run snapshot already written by <see cref="RunSnapshotCodec"/>, which is how a run saves one: it is
/// encoded in the run actor, straight from the live state, so no copy of a million records is made for
/// the snapshot store to serialize later. It is read back as a <see cref="RunSnapshot"/>.
/// </summary>
internal sealed class EncodedRunSnapshot(byte[] bytes) : IFanoutMessage
{
    public byte[] Bytes { get; } = bytes;
}

/// <summary>
/// One action in a <see cref="RunSnapshot"/>: its journaled facts, nothing of the run actor's incarnation.
/// <see cref="Node"/> and <see cref="AttemptStartedAtMs"/> are its latest attempt's (null and 0 when not known);
/// <see cref="EarlierAttempts"/> the attempts that ended before it (null when none).
/// </summary>
internal readonly record struct ActionSnapshot(
    string Id, string? ParentId, string TaskName, string Group, string InputJson, CallOptions Options, long StartedAtMs,
    ActionStatus Status, int Attempts, int FailedAttempts, long FinishedAtMs, string? ResultJson, ErrorInfo? Error,
    int InterruptedAttempts = 0, string? Node = null, long AttemptStartedAtMs = 0, IReadOnlyList<PastAttempt>? EarlierAttempts = null);
