using System.Text.Json.Serialization;

namespace Fanout.Protocol;

/// <summary>What one ledger entry records.</summary>
internal enum LedgerEntryKind
{
    RunStarted,
    ActionRequested,
    AttemptStarted,
    AttemptFailed,
    ActionSucceeded,
    ActionFailed,
    ActionCancelled,
    RunFinished,

    /// <summary>
    /// An attempt was handed back or set aside by the runtime (a drain, a run that moved), not lost with
    /// its node: it does not count against the allowance for lost attempts. Added after the others, as
    /// enum values are stored by name.
    /// </summary>
    AttemptInterrupted,
}

/// <summary>
/// One fact in a run's durable record. Entries are journaled in batches (<see cref="LedgerBatch"/>):
/// one journal row carries every fact the run learned while the previous write was in flight, which
/// is what lets one run record tens of thousands of actions per second (see NOTES-akka.md).
/// Fields not used by a kind stay null and are not written.
/// </summary>
internal sealed record LedgerEntry(LedgerEntryKind Kind, long AtMs)
{
    public string? ActionId { get; init; }
    public string? ParentId { get; init; }
    public string? TaskName { get; init; }
    public string? Group { get; init; }
    public string? InputJson { get; init; }
    public string? ResultJson { get; init; }
    public ErrorInfo? Error { get; init; }
    public int Attempt { get; init; }
    public CallOptions? Options { get; init; }
    public RunStatus? RunStatus { get; init; }

    /// <summary>
    /// On an entry that starts an attempt: the run's number for the node it was sent to (its place in the run's
    /// node table, from 1; see <see cref="Node"/>). A number, not the address, because nearly every action
    /// records one: written as <c>"N":1</c>, 6 bytes an attempt where the address would take about 24.
    /// </summary>
    [JsonPropertyName("N")]
    public int? NodeRef { get; init; }

    /// <summary>
    /// The node's address (<c>host:port</c>), only on the first entry of the run that refers to
    /// <see cref="NodeRef"/>: that entry adds the node to the run's table, in the order entries are journaled.
    /// </summary>
    public string? Node { get; init; }
}

/// <summary>The journal event: a batch of ledger entries written as one row.</summary>
internal sealed record LedgerBatch(IReadOnlyList<LedgerEntry> Entries) : IFanoutMessage;
