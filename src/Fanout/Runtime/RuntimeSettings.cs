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
    /// <summary>How often an executor tells each run which of its attempts it still holds.</summary>
    public TimeSpan LeaseInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a run waits to hear of an attempt it sent (a report, or a lease naming it) before it sends
    /// the attempt again; the wait doubles with every send, up to <see cref="MaxResendInterval"/>. Several
    /// lease intervals, so one late or lost lease does not cause a send.
    /// </summary>
    public TimeSpan AttemptLeaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a report or a child's outcome waits for its acknowledgement before it is sent again (doubling).</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two sends of the same unacknowledged message.</summary>
    public TimeSpan MaxResendInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many attempts may wait for a slot on this node before it turns new ones away.</summary>
    public int MaxWaitingActions { get; init; } = int.MaxValue;

    /// <summary>How often, at most, an executor tells every node's directory how loaded it is (when that changed).</summary>
    public TimeSpan LoadReportInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public static RuntimeSettings From(FanoutRuntimeOptions options) => new(
        options.LostAttemptRetries,
        options.MaxPayloadBytes,
        options.MaxActionsInFlightPerRun,
        options.ActionSlots,
        options.SnapshotAfterEntries,
        ChildBatchBytes: 64 * 1024,
        ChildCallAckTimeout: TimeSpan.FromSeconds(15),
        FinishedRunIdleTimeout: TimeSpan.FromSeconds(30),
        RecoveredFinishedRunIdleTimeout: TimeSpan.FromSeconds(3),
        options.PlacementTimeout,
        options.DrainTimeout)
    {
        MaxWaitingActions = options.MaxWaitingActions ?? DefaultMaxWaiting(options.ActionSlots),
    };

    // Ten times the slots: one run's default in-flight limit (10,000) fits a default node (1,000 slots).
    private static int DefaultMaxWaiting(int actionSlots) => (int)Math.Min(int.MaxValue, 10L * actionSlots);
}
