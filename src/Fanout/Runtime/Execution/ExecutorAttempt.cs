using Fanout.Protocol;

namespace Fanout.Runtime.Execution;

/// <summary>
/// One attempt an <see cref="ActionExecutor"/> holds: waiting for a slot, or running its body. Only the
/// executor's own thread touches it; the body reports back by message.
/// </summary>
internal sealed class ExecutorAttempt(ExecuteAction execute, long acceptedAtMs = 0)
{
    public ExecuteAction Execute { get; } = execute;

    /// <summary>When the executor took the attempt (Unix ms): its run hears of it in leases from a little after.</summary>
    public long AcceptedAtMs { get; } = acceptedAtMs;

    /// <summary>Set once the body starts; null while the attempt waits for a slot.</summary>
    public ActionContext? Context { get; set; }

    public CancellationTokenSource? Cancellation { get; set; }

    /// <summary>Why the run cancelled this attempt, once it has.</summary>
    public string? CancelReason { get; set; }

    /// <summary>
    /// Whether the attempt counts against the node's slots. A parent gives its slot back when it makes its
    /// first child call: it mostly waits from then on, and parents holding every slot while their children
    /// queue for one would deadlock the node.
    /// </summary>
    public bool HoldsSlot { get; set; }

    public bool IsRunning => Context is not null;

    /// <summary>Whether the attempt is in the executor's queue, waiting for a slot.</summary>
    public bool IsWaiting { get; set; }

    /// <summary>Whether the body has made a child call (and so mostly waits for its children).</summary>
    public bool IsParent { get; set; }

    /// <summary>Ends the attempt's body: no more child calls go out and the body's token fires.</summary>
    public void End(Exception reason)
    {
        Context?.Close(reason);
        if (Cancellation is { } cancellation)
        {
            cancellation.Cancel();
            cancellation.Dispose();
        }
        Cancellation = null;
    }

    /// <summary>The report the run receives when the body returned or threw.</summary>
    public AttemptFinished Report(string? resultJson, Exception? error)
    {
        var e = Execute;
        if (error is null)
            return new AttemptFinished(e.RunId, e.ActionId, e.Attempt, OutcomeKind.Succeeded, resultJson, null, Retryable: false);
        if (CancelReason is not null)
            return new AttemptFinished(e.RunId, e.ActionId, e.Attempt, OutcomeKind.Cancelled, null, ErrorInfo.From(error), Retryable: false);

        // An unknown task, an input that does not fit the task's type or an output over the size limit
        // fails the same way every time: no retry.
        var retryable = error is not (UnknownTaskException or InvalidTaskInputException or PayloadTooLargeException);
        return new AttemptFinished(e.RunId, e.ActionId, e.Attempt, OutcomeKind.Failed, null, ErrorInfo.From(error), retryable);
    }

    /// <summary>The report for an attempt the node dropped before its body ended: the run starts another.</summary>
    public AttemptFinished Interrupted(string why, string errorType = "Fanout.AttemptInterrupted") => new(
        Execute.RunId, Execute.ActionId, Execute.Attempt, OutcomeKind.Interrupted, null,
        new ErrorInfo(errorType, $"attempt {Execute.Attempt} {why}", null), Retryable: true);
}
