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

    /// <summary>The node its latest attempt was sent to (<c>host:port</c>, one instance per node of the run); null when not recorded.</summary>
    public string? Node { get; set; }

    // The latest attempt's start as milliseconds after StartedAtMs: an int, not a second long, keeps the record
    // 8 bytes smaller (a million of them per run). Starts further out than an int reaches live in the AttemptLog.
    private const int StartUnknown = -1;
    private const int StartInLog = int.MaxValue;
    private int _attemptStartOffsetMs = StartUnknown;

    /// <summary>When its latest attempt started (Unix ms), 0 when not recorded; <paramref name="log"/> is its attempt log, if it has one.</summary>
    public long AttemptStartedAtMs(AttemptLog? log) => _attemptStartOffsetMs switch
    {
        StartUnknown => 0,
        StartInLog => log?.LatestStartedAtMs ?? 0,
        var offset => StartedAtMs + offset,
    };

    /// <summary>
    /// Records when its latest attempt started (0: not known); returns false when the start is too far after the
    /// action's for the record, and the caller must keep it in the action's <see cref="AttemptLog"/>.
    /// </summary>
    public bool SetAttemptStartedAtMs(long atMs)
    {
        var offset = atMs - StartedAtMs;
        // A run that moved may read another node's clock: a start a little before the request is the request's.
        _attemptStartOffsetMs = atMs <= 0 ? StartUnknown : offset >= StartInLog ? StartInLog : (int)Math.Max(0, offset);
        return _attemptStartOffsetMs != StartInLog;
    }

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
    /// The action in full: the attempts in <paramref name="log"/> (those that ended before the latest, for an
    /// action with more than one) and then its latest attempt, unless that is in the log already.
    /// </summary>
    public ActionDetail ToDetail(AttemptLog? log)
    {
        var attempts = new List<AttemptInfo>(Math.Max(Attempts, 1));
        if (log is not null)
        {
            // Earlier failures keep their type and message; the last one's stack trace is the action's own error.
            var lastFailed = log.Ended.FindLastIndex(static p => p.Outcome == AttemptOutcome.Failed);
            for (var i = 0; i < log.Ended.Count; i++)
            {
                var past = log.Ended[i];
                var error = i == lastFailed && Error is { } full && past.Error is { } kept
                                                && full.Type == kept.Type && full.Message == kept.Message
                    ? full
                    : past.Error;
                attempts.Add(new AttemptInfo(past.Number, past.Node, Time(past.StartedAtMs), Time(past.EndedAtMs), past.Outcome,
                    error?.ToPublic()));
            }
        }
        if (Attempts > 0 && log?.Has(Attempts) != true)
        {
            var outcome = Status switch
            {
                ActionStatus.Succeeded => AttemptOutcome.Succeeded,
                ActionStatus.Failed => AttemptOutcome.Failed,
                ActionStatus.Cancelled => AttemptOutcome.Cancelled,
                _ => AttemptOutcome.Running,
            };
            attempts.Add(new AttemptInfo(Attempts, Node, Time(AttemptStartedAtMs(log)),
                outcome == AttemptOutcome.Running ? null : Time(FinishedAtMs), outcome,
                outcome == AttemptOutcome.Failed ? Error?.ToPublic() : null));
        }
        return new ActionDetail(ToInfo(), attempts, ActionDetail.Preview(InputJson)!, InputJson.Length,
            ActionDetail.Preview(ResultJson), ResultJson?.Length ?? 0);
    }

    private static DateTimeOffset? Time(long atMs) => atMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(atMs) : null;
}
