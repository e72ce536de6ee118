namespace Fanout.Protocol;

/// <summary>
/// What travels instead of an outcome too large for any frame (<see cref="WireLimits.MaxItemBytes"/>): the
/// same outcome, failed for good with a <see cref="PayloadTooLargeException"/> naming the action and the sizes,
/// so whoever waits for it learns it failed instead of waiting forever for a frame Akka.Remote dropped.
/// Payload checks where calls are made and bodies return keep outcomes far smaller; this is the backstop
/// for <see cref="Runtime.WeightedChunks.SplitForWire{T}"/>.
/// </summary>
internal static class TooLargeToSend
{
    public static AttemptFinished Report(AttemptFinished report, long bytes) => report with
    {
        Kind = OutcomeKind.Failed, ResultJson = null, Error = Error(report.ActionId, bytes), Retryable = false,
    };

    public static ChildOutcome Outcome(ChildOutcome outcome, long bytes) => outcome with
    {
        Kind = OutcomeKind.Failed, ResultJson = null, Error = Error(outcome.ActionId, bytes),
    };

    public static ErrorInfo Error(string actionId, long bytes) => new(
        typeof(PayloadTooLargeException).FullName!,
        $"The outcome of action '{actionId}' is {bytes:N0} bytes, over the {WireLimits.MaxItemBytes:N0} bytes a message " +
        "between nodes can carry; pass large data by reference instead",
        null);
}
