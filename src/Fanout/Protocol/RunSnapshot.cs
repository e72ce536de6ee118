namespace Fanout.Protocol;

/// <summary>
/// A run's whole state at one journal position, so recovering a run of a million actions reads one
/// snapshot and the entries after it instead of every entry since the start. Written in a compact binary
/// form (<see cref="RunSnapshotCodec"/>), not JSON: it is the largest thing Fanout stores.
/// </summary>
internal sealed record RunSnapshot(
    string RunId, string? RootTask, RunStatus Status, long StartedAtMs, long FinishedAtMs,
    IReadOnlyList<ActionSnapshot> Actions) : IFanoutMessage;

/// <summary>
/// A run snapshot already written by <see cref="RunSnapshotCodec"/>, which is how a run saves one: it is
/// encoded in the run actor, straight from the live state, so no copy of a million records is made for
/// the snapshot store to serialize later. It is read back as a <see cref="RunSnapshot"/>.
/// </summary>
internal sealed class EncodedRunSnapshot(byte[] bytes) : IFanoutMessage
{
    public byte[] Bytes { get; } = bytes;
}

/// <summary>One action in a <see cref="RunSnapshot"/>: its journaled facts, nothing of the run actor's incarnation.</summary>
internal readonly record struct ActionSnapshot(
    string Id, string? ParentId, string TaskName, string Group, string InputJson, CallOptions Options, long StartedAtMs,
    ActionStatus Status, int Attempts, int FailedAttempts, long FinishedAtMs, string? ResultJson, ErrorInfo? Error,
    int InterruptedAttempts = 0);
