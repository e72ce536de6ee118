namespace Fanout.Runtime;

/// <summary>Settings the runtime's actors share, resolved once from <see cref="FanoutRuntimeOptions"/>.</summary>
internal sealed record RuntimeSettings(
    int LostAttemptRetries,
    int MaxPayloadBytes,
    int MaxInFlightPerRun,
    int ActionSlots,
    long SnapshotAfterEntries,
    long ChildBatchBytes,
    TimeSpan ChildCallAckTimeout,
    TimeSpan FinishedRunIdleTimeout,
    TimeSpan RecoveredFinishedRunIdleTimeout,
    TimeSpan PlacementTimeout,
    TimeSpan DrainTimeout)
{
    public static RuntimeSettings From(FanoutRuntimeOptions options) => new(
        options.LostAttemptRetries,
        options.MaxPayloadBytes,
        options.MaxActionsInFlightPerRun,
        options.ActionSlots,
        options.SnapshotAfterEntries,
        ChildBatchBytes: 64 * 1024,
        ChildCallAckTimeout: TimeSpan.FromSeconds(60),
        FinishedRunIdleTimeout: TimeSpan.FromSeconds(30),
        RecoveredFinishedRunIdleTimeout: TimeSpan.FromSeconds(3),
        options.PlacementTimeout,
        options.DrainTimeout);
}
