namespace Fanout.Protocol;

/// <summary>Runs attempt <see cref="Attempt"/> of an action on the node whose executor receives it.</summary>
internal sealed record ExecuteAction(
    string ActionId, string RunId, string TaskName, string InputJson, int Attempt, long TimeoutMs) : IActionMessage
{
    /// <summary>The span of the attempt that called this action (or the run's caller, for the root); null when untraced.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>The action's group path, for its span's tags: sent only with <see cref="Trace"/>.</summary>
    public string? Group { get; init; }
}

/// <summary>
/// Attempts a run sends one executor at once (the dispatches that one journal write made ready): a
/// fan-out's leaves cross to another node in a few messages instead of one each.
/// </summary>
internal sealed record ExecuteActions(IReadOnlyList<ExecuteAction> Actions) : IFanoutMessage;

/// <summary>Fires the cancellation token of the action's running attempt (or drops it from the node's queue).</summary>
internal sealed record CancelAction(string ActionId, string Reason) : IActionMessage;

/// <summary>Asks an executor which attempts of the run it holds; answered by <see cref="HeldAttempts"/>.</summary>
internal sealed record ReportAttempts(string RunId) : IFanoutMessage;

/// <summary>One attempt an executor holds: running or waiting for a slot; a parent once it has called a child.</summary>
internal sealed record HeldAttempt(string ActionId, int Attempt, bool IsParent);

/// <summary>The attempts of the run an executor holds.</summary>
internal sealed record HeldAttempts(string RunId, IReadOnlyList<HeldAttempt> Attempts) : IFanoutMessage;

/// <summary>Drops the action's attempt (if it is this one or older) without reporting it: the run has moved past it.</summary>
internal sealed record AbandonAttempt(string ActionId, int Attempt) : IActionMessage;
