namespace Fanout.Protocol;

/// <summary>
/// Asks for the run's summary. Answered by <see cref="RunSummaryReply"/>, with the group folders a run page shows
/// when <see cref="WithGroupTree"/> is set (null, not false, otherwise: the serializer leaves it out, so a summary
/// asked for without it is the message it always was).
/// </summary>
internal sealed record GetRunSummary(string RunId) : IRunMessage
{
    public bool? WithGroupTree { get; init; }
}

/// <summary>
/// The run's summary; <see cref="Summary"/> is null when no such run was ever started. <see cref="GroupTree"/> is
/// there when it was asked for.
/// </summary>
internal sealed record RunSummaryReply(RunSummary? Summary) : IFanoutMessage
{
    public GroupTreeView? GroupTree { get; init; }
}

/// <summary>Asks for a page of the run's actions. Answered by <see cref="ActionPageReply"/>.</summary>
internal sealed record ListActions(string RunId, ActionQuery Query) : IRunMessage;

/// <summary>A page of actions; <see cref="Page"/> is null when no such run was ever started.</summary>
internal sealed record ActionPageReply(ActionPage? Page) : IFanoutMessage;

/// <summary>Asks for one action in full. Answered by <see cref="ActionDetailReply"/>.</summary>
internal sealed record GetActionDetail(string RunId, string ActionId) : IRunMessage;

/// <summary>
/// One action in full; <see cref="Detail"/> is null when the run has no such action, <see cref="RunExists"/> false
/// when no such run was ever started.
/// </summary>
internal sealed record ActionDetailReply(bool RunExists, ActionDetail? Detail) : IFanoutMessage;

/// <summary>
/// Waits for the run to end. Answered by <see cref="RunOutcome"/> when it ends, or by
/// <see cref="RunStillGoing"/> after <see cref="MaxWaitMs"/>, so no waiter is held forever.
/// </summary>
internal sealed record AwaitRun(string RunId, long MaxWaitMs) : IRunMessage;

/// <summary>The run has not ended yet; ask again.</summary>
internal sealed record RunStillGoing(string RunId) : IFanoutMessage;

/// <summary>How a run ended: its root result, or the root's error.</summary>
internal sealed record RunOutcome(
    string RunId, RunStatus Status, string? ResultJson, ErrorInfo? Error, string? FailedActionId, string? FailedTaskName,
    int Attempts, bool Exists) : IFanoutMessage;
