using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>What a run knows of one of its actions: the journaled facts, plus who waits for it in this incarnation.</summary>
internal sealed class ActionRecord(string id, string? parentId, string taskName, string group, string inputJson,
    CallOptions options, DateTimeOffset startedAt)
{
    public string Id { get; } = id;
    public string? ParentId { get; } = parentId;
    public string TaskName { get; } = taskName;
    public string Group { get; } = group;
    public string InputJson { get; } = inputJson;
    public CallOptions Options { get; } = options;
    public DateTimeOffset StartedAt { get; } = startedAt;

    public ActionStatus Status { get; set; } = ActionStatus.Running;
    public int Attempts { get; set; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? ResultJson { get; set; }
    public ErrorInfo? Error { get; set; }

    /// <summary>
    /// True when the current attempt was dispatched by this incarnation of the run actor. An attempt
    /// recovered from the journal as running was lost with the process that ran it.
    /// </summary>
    public bool DispatchedHere { get; set; }

    /// <summary>Parents (their action actors) waiting for this action's outcome. Not journaled.</summary>
    public List<IActorRef>? Waiters { get; set; }

    public bool IsFinished => Status is ActionStatus.Succeeded or ActionStatus.Failed or ActionStatus.Cancelled;

    public ChildOutcome ToOutcome() => new(
        Id, TaskName,
        Status switch
        {
            ActionStatus.Succeeded => OutcomeKind.Succeeded,
            ActionStatus.Cancelled => OutcomeKind.Cancelled,
            _ => OutcomeKind.Failed,
        },
        ResultJson, Error, Attempts);

    public ActionInfo ToInfo() =>
        new(Id, ParentId, TaskName, Group, Status, Attempts, StartedAt, FinishedAt, Error?.ToPublic());
}
