using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime.Execution;

/// <summary>
/// The executor's side of delivery that survives lost messages: it acknowledges children's outcomes, confirms
/// the attempts it took every <see cref="RuntimeSettings.ReceiptInterval"/> (a lease naming only those, so a
/// run learns within a second or so that an attempt arrived, and sends again one that did not), tells each
/// run every <see cref="RuntimeSettings.LeaseInterval"/> which of its attempts it holds (a lease, one
/// message per run), sends reports again until they are acknowledged, and answers a run that re-attaches
/// with the reports it kept as well as the attempts it holds.
/// </summary>
internal sealed partial class ActionExecutor
{
    private const int MaxLeasedPerMessage = 1000;

    // Attempts taken (or sent again while held) since the last receipt; confirmed if still held then. An
    // attempt that ended before that needs none: its report says more.
    private readonly List<ExecutorAttempt> _unconfirmed = [];

    private void NoteReceived(ExecutorAttempt attempt) => _unconfirmed.Add(attempt);

    /// <summary>Confirms the attempts taken since the last receipt, and sends again the reports that are due.</summary>
    private void SendReceipts()
    {
        var runRegion = _runRegion();
        if (_unconfirmed.Count > 0)
        {
            var held = _unconfirmed
                .Where(a => _attempts.TryGetValue(a.Execute.ActionId, out var current) && ReferenceEquals(current, a))
                .Distinct()
                .GroupBy(a => a.Execute.RunId);
            foreach (var run in held)
            foreach (var chunk in run.Chunk(MaxLeasedPerMessage))
                runRegion.Tell(new AttemptsHeld(run.Key, chunk.Select(Held).ToList()));
            _unconfirmed.Clear();
        }
        foreach (var (runId, reports) in _outbox.TakeDue(NowMs())) SendReports(runId, reports, runRegion);
    }

    private void OnChildResults(ChildResults results)
    {
        if (_attempts.TryGetValue(results.ParentId, out var parent) && parent.Context is { } context)
            foreach (var outcome in results.Outcomes) context.Deliver(outcome);
        // Acknowledged even when the parent is gone: nobody here will ever want them, so the run may stop sending.
        Sender.Tell(new ChildResultsReceived(results.ParentId, results.Outcomes.Select(o => o.ActionId).ToList()));
    }

    private void SendLeases()
    {
        var now = NowMs();
        var runRegion = _runRegion();
        // An attempt taken moments ago needs no lease yet: its run counts from when it sent it.
        var settled = now - (long)_settings.LeaseInterval.TotalMilliseconds / 2;
        foreach (var run in _attempts.Values.Where(a => a.AcceptedAtMs <= settled).GroupBy(a => a.Execute.RunId))
        {
            foreach (var chunk in run.Chunk(MaxLeasedPerMessage))
                runRegion.Tell(new AttemptsHeld(run.Key, chunk.Select(Held).ToList()));
        }
    }

    /// <summary>
    /// Answers a run that recovered and asks what of it is here: first the reports it has not acknowledged
    /// (its previous incarnation may have died before they arrived), then the attempts held. Both go straight
    /// to the asking run, in that order, so it knows every outcome before it decides what to run again.
    /// </summary>
    private void AnswerReattach(string runId)
    {
        if (_outbox.Of(runId) is { Count: > 0 } kept) SendReports(runId, kept, Sender);
        Sender.Tell(new HeldAttempts(runId, _attempts.Values.Where(a => a.Execute.RunId == runId).Select(Held).ToList()));
    }

    private static HeldAttempt Held(ExecutorAttempt attempt) =>
        new(attempt.Execute.ActionId, attempt.Execute.Attempt, attempt.IsParent);

    private sealed class LeaseDue : INoSerializationVerificationNeeded
    {
        public static readonly LeaseDue Instance = new();
    }

    private sealed class ReceiptsDue : INoSerializationVerificationNeeded
    {
        public static readonly ReceiptsDue Instance = new();
    }
}
