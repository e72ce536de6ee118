using Akka.Actor;
using Fanout.Clustering;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// The one path an attempt starts on. At most <see cref="RuntimeSettings.MaxInFlightPerRun"/> attempts are
/// out on executors at once: an action beyond that waits in the queue for room, oldest first. The root
/// always has room (every other action waits for it), and a parent stops counting once it calls its first
/// child, or parents waiting on queued children would hold every place. An action with room but no live
/// node that may run it waits for one (RunCore.Placement.cs). An attempt that started and never reported
/// back was lost with its node; a run allows <see cref="RuntimeSettings.LostAttemptRetries"/> of those.
/// </summary>
internal sealed partial class RunCore
{
    private int _inFlight;
    private readonly Queue<ActionRecord> _pending = new();

    /// <summary>Attempts out on executors that count against the limit.</summary>
    public int InFlight => _inFlight;

    /// <summary>Actions waiting for room under the limit.</summary>
    public int Queued => _pending.Count;

    /// <summary>Records a new call, whose first attempt starts in the same entry when it can start at once.</summary>
    private void Request(LedgerEntry request, IActorRef? waiter)
    {
        var (executor, hasRoom) = ChooseExecutor(request.ParentId, request.Options!.Role);
        Record(executor is null ? request : StartingOn(executor, request, attempt: 1));
        var action = State.Find(request.ActionId!)!;
        if (waiter is not null) action.AddWaiter(waiter);
        Begin(action, executor?.Executor, hasRoom);
    }

    /// <summary>Starts the action's next attempt, or queues it for room, or parks it until a node may run it.</summary>
    private void StartNextAttempt(ActionRecord action)
    {
        if (action.IsFinished) return;
        // Still running as far as the run knows: its latest attempt never reported back.
        if (action.Status == ActionStatus.Running) Diagnostics.RunMetrics.AttemptLost(action.TaskName);

        // Attempts that started and never reported back were lost with their node (or process).
        var lost = action.UnreportedAttempts;
        if (lost > settings.LostAttemptRetries)
        {
            Record(new LedgerEntry(LedgerEntryKind.ActionFailed, nowMs())
            {
                ActionId = action.Id,
                Error = new ErrorInfo("Fanout.AttemptLostException",
                    $"{lost} attempt(s) of this action never reported back (the node running it stopped); " +
                    $"the runtime allows {settings.LostAttemptRetries} such loss(es)", null),
            });
            effects.EndedAfterWrite(action);
            return;
        }

        var (executor, hasRoom) = ChooseExecutor(action.ParentId, action.Options.Role);
        if (executor is not null)
            Record(StartingOn(executor, new LedgerEntry(LedgerEntryKind.AttemptStarted, nowMs()) { ActionId = action.Id }, action.Attempts + 1));
        Begin(action, executor?.Executor, hasRoom);
    }

    /// <summary>
    /// <paramref name="request"/> starting its <paramref name="attempt"/> on <paramref name="executor"/>'s node, naming
    /// the node by its number in the run's table (a first attempt is recorded in its request's entry: one entry per new action).
    /// </summary>
    private LedgerEntry StartingOn(ExecutorEntry executor, LedgerEntry request, int attempt)
    {
        var (nodeRef, newNode) = State.NodeRefFor(executor.NodeName);
        return request with { Attempt = attempt, NodeRef = nodeRef, Node = newNode };
    }

    /// <summary>Where the next attempt of an action goes now: an executor, or none (with whether it has room under the limit).</summary>
    private (ExecutorEntry? Executor, bool HasRoom) ChooseExecutor(string? parentId, string? role)
    {
        var hasRoom = _inFlight < settings.MaxInFlightPerRun || parentId is null;
        return (hasRoom ? Place(role) : null, hasRoom);
    }

    /// <summary>Sends the attempt just recorded to <paramref name="executor"/> once durable, or has the action wait.</summary>
    private void Begin(ActionRecord action, IActorRef? executor, bool hasRoom)
    {
        if (executor is not null) Hold(action, executor, action.Attempts, send: true);
        else if (hasRoom) Park(action);
        else Queue(action);
    }

    /// <summary>
    /// The action's current attempt is out on <paramref name="executor"/>, counted against the limit, and its
    /// death watched; sent once durable, unless it is already there (adopted after the run moved).
    /// </summary>
    private void Hold(ActionRecord action, IActorRef executor, int attempt, bool send)
    {
        action.Tracking = Tracking.Sent;
        action.HoldsInFlightSlot = true;
        action.Executor = executor;
        _inFlight++;
        effects.Watch(executor);
        if (send) effects.SendAfterWrite(action, attempt);
    }

    /// <summary>
    /// Adopts the running attempt an executor says it holds, sent by an earlier incarnation of this run: its
    /// outcome will come here, and it does not run again.
    /// </summary>
    public void Adopt(ActionRecord action, IActorRef executor, int attempt) => Hold(action, executor, attempt, send: false);

    /// <summary>
    /// Records an attempt found alive that the run no longer follows (a parent from an earlier incarnation,
    /// an earlier attempt found after a later one started) as interrupted: it was not lost.
    /// </summary>
    public void SetAside(ActionRecord action, int attempt, string why) =>
        Record(new LedgerEntry(LedgerEntryKind.AttemptInterrupted, nowMs())
        {
            ActionId = action.Id, Attempt = attempt,
            Error = new ErrorInfo("Fanout.AttemptInterrupted", $"attempt {attempt} was set aside: {why}", null),
        });

    // Queue and Park are reached only through Begin, for an action that is in neither wait: a new call, a
    // recovered one taken up, one whose attempt ended or was lost, or one just taken out of a wait.
    private void Queue(ActionRecord action)
    {
        action.Tracking = Tracking.WaitingForRoom;
        _pending.Enqueue(action);
    }

    /// <summary>Gives the action's place under the limit back, and starts the oldest actions waiting for room.</summary>
    private void ReleaseInFlightSlot(ActionRecord action)
    {
        if (!action.HoldsInFlightSlot) return;
        action.HoldsInFlightSlot = false;
        _inFlight--;
        while (_inFlight < settings.MaxInFlightPerRun && !State.IsFinished && _pending.TryDequeue(out var next))
            StartNextAttempt(next);
    }
}
