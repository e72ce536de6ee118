using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// What a run knows of one of its actions: the journaled facts, plus what this incarnation of the run
/// actor does with it. A run may hold a million of these, so it keeps times as Unix milliseconds and
/// shares task names, groups, parent ids and options between records (see <see cref="RunState"/>).
/// </summary>
internal sealed class ActionRecord(string id, string? parentId, string taskName, string group, string inputJson,
    CallOptions options, long startedAtMs)
{
    public string Id { get; } = id;
    public string? ParentId { get; } = parentId;
    public string TaskName { get; } = taskName;
    public string Group { get; } = group;
    public string InputJson { get; } = inputJson;
    public CallOptions Options { get; } = options;
    public long StartedAtMs { get; } = startedAtMs;

    public ActionStatus Status { get; set; } = ActionStatus.Queued;
    public int Attempts { get; set; }
    public int FailedAttempts { get; set; }

    /// <summary>Attempts the runtime handed back or set aside (a drain, a run that moved): neither failed nor lost.</summary>
    public int InterruptedAttempts { get; set; }

    /// <summary>
    /// Attempts that neither failed nor were interrupted, read when the next attempt is about to start: by
    /// then every earlier attempt has ended, so these are the ones lost with their node or process.
    /// </summary>
    public int UnreportedAttempts => Attempts - FailedAttempts - InterruptedAttempts;
    public long FinishedAtMs { get; set; }
    public string? ResultJson { get; set; }
    public ErrorInfo? Error { get; set; }

    // ---- this incarnation only, not journaled ----

    /// <summary>What this incarnation of the run is doing about its attempts (only <see cref="RunCore"/> changes it).</summary>
    public Tracking Tracking { get; set; }

    /// <summary>True once this incarnation took it up; until then its journaled attempt may have died with an earlier one.</summary>
    public bool TrackedHere => Tracking != Tracking.NotYet;

    /// <summary>Whether its current attempt counts against the run's in-flight limit (a parent that called children gives it back).</summary>
    public bool HoldsInFlightSlot { get; set; }

    /// <summary>The executor its current attempt went to, while <see cref="Tracking"/> is <see cref="Tracking.Sent"/>.</summary>
    public IActorRef? Executor { get; set; }

    /// <summary>When it started waiting for a live node that may run it (Unix ms), while <see cref="Tracking"/> is <see cref="Tracking.WaitingForNode"/>.</summary>
    public long UnplacedSinceMs { get; set; }

    /// <summary>
    /// Where its parent awaits the outcome (the executor running the parent). Almost always one; a parent
    /// that ran again elsewhere before the first outcome came adds another.
    /// </summary>
    public IActorRef? Waiter { get; private set; }

    public List<IActorRef>? MoreWaiters { get; private set; }

    public bool IsFinished => Status is ActionStatus.Succeeded or ActionStatus.Failed or ActionStatus.Cancelled;

    /// <summary>
    /// Whether <paramref name="attempt"/> is its current attempt and has not ended. A report or lease for any
    /// other attempt (one whose failure or hand-back is journaled, sent again because its acknowledgement
    /// was lost) must change nothing.
    /// </summary>
    public bool IsOpen(int attempt) => Status == ActionStatus.Running && attempt == Attempts;

    public void AddWaiter(IActorRef waiter)
    {
        if (Waiter is null) Waiter = waiter;
        else if (!Waiter.Equals(waiter) && MoreWaiters?.Contains(waiter) != true) (MoreWaiters ??= []).Add(waiter);
    }

    public void ClearWaiters()
    {
        Waiter = null;
        MoreWaiters = null;
    }

    public ChildOutcome ToOutcome() => new(
        Id, TaskName,
        Status switch
        {
            ActionStatus.Succeeded => OutcomeKind.Succeeded,
            ActionStatus.Cancelled => OutcomeKind.Cancelled,
            _ => OutcomeKind.Failed,
        },
        ResultJson, Error, Attempts);

    public ActionInfo ToInfo() => new(Id, ParentId, TaskName, Group, Status, Attempts,
        DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs),
        FinishedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(FinishedAtMs) : null,
        Error?.ToPublic());

    /// <summary>
    /// The action in full. The journal keeps counts of attempts, not each one's time and node, so only the last
    /// attempt is shown with what is known of it, and earlier ones by how they ended.
    /// </summary>
    public ActionDetail ToDetail()
    {
        var attempts = new List<AttemptInfo>(Attempts);
        var failedBefore = FailedAttempts - (Status == ActionStatus.Failed ? 1 : 0);
        var interruptedBefore = InterruptedAttempts;
        for (var number = 1; number < Attempts; number++)
        {
            var outcome = failedBefore-- > 0 ? AttemptOutcome.Failed : interruptedBefore-- > 0 ? AttemptOutcome.Interrupted : AttemptOutcome.Lost;
            attempts.Add(new AttemptInfo(number, null, number == 1 ? DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs) : null, null,
                outcome, Error: null));
        }
        if (Attempts > 0)
        {
            var last = Status switch
            {
                ActionStatus.Succeeded => AttemptOutcome.Succeeded,
                ActionStatus.Failed => AttemptOutcome.Failed,
                ActionStatus.Cancelled => AttemptOutcome.Cancelled,
                ActionStatus.Retrying => AttemptOutcome.Failed,
                _ => AttemptOutcome.Running,
            };
            attempts.Add(new AttemptInfo(Attempts, null, Attempts == 1 ? DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs) : null,
                FinishedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(FinishedAtMs) : null, last,
                last == AttemptOutcome.Failed ? Error?.ToPublic() : null));
        }
        return new ActionDetail(ToInfo(), attempts, ActionDetail.Preview(InputJson)!, InputJson.Length,
            ActionDetail.Preview(ResultJson), ResultJson?.Length ?? 0);
    }
}
