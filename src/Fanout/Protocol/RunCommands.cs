using Akka.Actor;

namespace Fanout.Protocol;

/// <summary>Starts a run: journal it, then start its root action. Answered by <see cref="RunAccepted"/>.</summary>
internal sealed record StartRun(string RunId, string TaskName, string InputJson, CallOptions Options) : IRunMessage
{
    /// <summary>Whether the caller chose the run id (for the runs index); starts journaled before it was sent read false.</summary>
    public bool CallerChosenId { get; init; }

    /// <summary>The caller's span when it started the run: the root's attempts are its children. Null when untraced.</summary>
    public TraceContext? Trace { get; init; }
}

/// <summary>
/// The answer to <see cref="StartRun"/>: the run is journaled, or already was with the same task and input
/// (starting a run id again is idempotent). When the run id already names a run of another task or input,
/// nothing is started and <see cref="Conflict"/> says what that run holds.
/// </summary>
internal sealed record RunAccepted(string RunId, RunStartedWith? Conflict = null) : IFanoutMessage;

/// <summary>
/// The answer to <see cref="StartRun"/> of a new run on a node that already hosts <see cref="Limit"/> running runs
/// (<see cref="FanoutRuntimeOptions.MaxRunsInFlight"/>): nothing was journaled, so the start may be sent again later.
/// </summary>
internal sealed record RunRefused(string RunId, int Limit) : IFanoutMessage;

/// <summary>What a run was started with, as it answers a start that asked for something else.</summary>
internal sealed record RunStartedWith(string TaskName, string InputJson);

/// <summary>One child call made by a running parent action.</summary>
internal sealed record ChildCall(string ActionId, string TaskName, string? Group, string InputJson, CallOptions Options)
{
    /// <summary>The span of the calling attempt: the child's attempts are its children. Null when untraced.</summary>
    public TraceContext? Trace { get; init; }
}

/// <summary>
/// A batch of child calls from one parent attempt. The run answers with <see cref="ChildrenAccepted"/>
/// once the calls are journaled (flow control for the parent's call pipeline) and later sends the
/// outcomes to <see cref="ReplyTo"/> as <see cref="ChildResults"/>, each only once it is journaled.
/// </summary>
internal sealed record StartChildren(string RunId, string ParentId, IReadOnlyList<ChildCall> Calls, IActorRef ReplyTo)
    : IRunMessage;

/// <summary>Acknowledges a <see cref="StartChildren"/> batch.</summary>
internal sealed record ChildrenAccepted(int Count) : IFanoutMessage;

/// <summary>How an action ended, as its parent sees it.</summary>
internal enum OutcomeKind
{
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>
    /// The attempt's node dropped it before its body ended (its executor stopped outside a shutdown).
    /// Only an <see cref="AttemptFinished"/> carries it: the run starts another attempt, which
    /// counts as lost, not failed.
    /// </summary>
    Interrupted,
}

/// <summary>The journaled outcome of one child action.</summary>
internal sealed record ChildOutcome(
    string ActionId, string TaskName, OutcomeKind Kind, string? ResultJson, ErrorInfo? Error, int Attempts);

/// <summary>Outcomes of children of the action <see cref="ParentId"/>, delivered to the executor running it.</summary>
internal sealed record ChildResults(string ParentId, IReadOnlyList<ChildOutcome> Outcomes) : IFanoutMessage;

/// <summary>An action's attempt ended on its node; the run journals the outcome and decides what follows.</summary>
internal sealed record AttemptFinished(
    string RunId, string ActionId, int Attempt, OutcomeKind Kind, string? ResultJson, ErrorInfo? Error, bool Retryable)
    : IRunMessage;

/// <summary>
/// Attempts of one run's actions that ended on one node since the last batch: an executor reports a
/// fan-out's leaves in a few messages instead of one per action. The run answers with
/// <see cref="ReportsAcknowledged"/> once what they say is journaled; until then the executor sends them again.
/// <see cref="Draining"/> says the executor is leaving, so the run sends it nothing new. <see cref="Full"/>
/// says it turned some of these attempts away because its queue was full, so the run sends it nothing new
/// until the executor's next load report says it has room.
/// </summary>
internal sealed record AttemptsFinished(
    string RunId, IReadOnlyList<AttemptFinished> Attempts, bool Draining = false, bool Full = false) : IRunMessage;

/// <summary>Cancels the run and every action in flight in it. Answered by <see cref="RunOutcome"/>.</summary>
internal sealed record CancelRun(string RunId, string Reason) : IRunMessage;
