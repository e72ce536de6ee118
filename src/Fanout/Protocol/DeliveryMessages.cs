namespace Fanout.Protocol;

// Remoting delivers at most once: these messages are how a lost message is noticed and sent again.
// Each side keeps what it sent until the other acknowledges it, and receivers deduplicate by
// (action id, attempt), so a message that arrives twice changes nothing.

/// <summary>Names one attempt of one action: what acknowledgements and leases refer to.</summary>
internal sealed record AttemptKey(string ActionId, int Attempt);

/// <summary>
/// An executor's lease on attempts of one run it still holds (running, waiting for a slot, or a parent
/// awaiting children), sent every few seconds. A run that hears nothing of an attempt it sent for longer
/// than its lease allows sends the attempt again: the first send was lost, or the executor lost it.
/// </summary>
internal sealed record AttemptsHeld(string RunId, IReadOnlyList<HeldAttempt> Attempts) : IRunMessage;

/// <summary>
/// The run has journaled what these reports said (or had no use for them): their executor may forget
/// them. Until then it keeps them, sends them again, and answers re-attach questions with them.
/// </summary>
internal sealed record ReportsAcknowledged(string RunId, IReadOnlyList<AttemptKey> Reports) : IFanoutMessage;

/// <summary>The executor holding the parent got these children's outcomes: the run stops sending them.</summary>
internal sealed record ChildResultsReceived(string ParentId, IReadOnlyList<string> ActionIds) : IFanoutMessage;
