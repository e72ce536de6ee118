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
    /// How often an executor confirms the attempts it took since the last time (a lease naming only those)
    /// and sends again the reports whose acknowledgement is due. Short, so a lost attempt or report costs a
    /// second or two, not a lease timeout.
    /// </summary>
    public TimeSpan ReceiptInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a run waits to hear anything of an attempt it sent (a receipt, a lease or a report) before it
    /// sends it again, doubling with every send. A few receipt intervals: under message loss, most of the
    /// time a run waits is this.
    /// </summary>
    public TimeSpan AttemptReceiptTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a run waits to hear again of an attempt its executor has confirmed before it sends it again
    /// (the executor may have lost it in a restart); the wait doubles with every send, up to
    /// <see cref="MaxResendInterval"/>. Several lease intervals, so one late or lost lease does not cause a send.
    /// </summary>
    public TimeSpan AttemptLeaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a report or a child's outcome waits for its acknowledgement before it is sent again (doubling).</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a parent's first send of a batch of child calls waits for the run to take it before sending
    /// it again; each further send waits twice as long, up to <see cref="ChildCallAckTimeout"/>.
    /// </summary>
    public TimeSpan FirstChildCallAckTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest wait between two sends of the same unacknowledged message.</summary>
    public TimeSpan MaxResendInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many attempts may wait for a slot on this node before it turns new ones away.</summary>
    public int MaxWaitingActions { get; init; } = int.MaxValue;

    /// <summary>The most actions one run may record, its root included (<see cref="FanoutRuntimeOptions.MaxActionsPerRun"/>).</summary>
    public int MaxActionsPerRun { get; init; } = int.MaxValue;

    /// <summary>This node's count of the running runs it hosts, and the limit for new starts (one per node).</summary>
    public RunsInFlightGauge RunsInFlight { get; init; } = new(int.MaxValue);

    /// <summary>How often, at most, an executor tells every node's directory how loaded it is (when that changed).</summary>
    public TimeSpan LoadReportInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The clock, task overrides and observer Fanout.TestKit puts in; production's otherwise.</summary>
    public Hooks.RuntimeHooks Hooks { get; init; } = Fanout.Runtime.Hooks.RuntimeHooks.Production;

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
        MaxActionsPerRun = options.MaxActionsPerRun,
        RunsInFlight = new RunsInFlightGauge(options.MaxRunsInFlight),
        Hooks = options.Hooks,
    };

    // Ten times the slots: one run's default in-flight limit (10,000) fits a default node (1,000 slots).
    private static int DefaultMaxWaiting(int actionSlots) => (int)Math.Min(int.MaxValue, 10L * actionSlots);
}
