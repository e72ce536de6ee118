using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Asks the run entities for what the client API and the HTTP API show. A run that does not answer (its
/// node is restarting, its journal is down and it keeps stopping) is asked again, with backoff, for up to
/// 90 s in all; what is asked again is idempotent (a start names its run id, a cancel of a
/// cancelled run changes nothing, a query changes nothing). Past that bound the caller gets a
/// <see cref="FanoutException"/> that says so, never a bare ask timeout.
/// A client member's asks go through its <see cref="ClientMembership"/>, so they fail at once, saying why,
/// when the cluster has removed it.
/// </summary>
/// <param name="runRegion">The run entities' shard region (or proxy).</param>
/// <param name="askTimeout">How long one ask waits at most (30 s unless a spec sets it); the first waits 5 s.</param>
/// <param name="answerWithin">How long a caller waits for an answer in all (90 s unless a spec sets it).</param>
/// <param name="membership">The client member's view of its own membership; null on a runtime node.</param>
internal sealed class RunClient(IActorRef runRegion, TimeSpan? askTimeout = null, TimeSpan? answerWithin = null,
    ClientMembership? membership = null)
{
    private static readonly TimeSpan FirstRetryBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(10);

    // The first ask of a start, query or cancel waits this long, each further one twice as long up to the ask
    // timeout: a run answers in milliseconds, so a lost ask or answer costs seconds, while a run slow to answer
    // (busy, or recovering) is not asked a flood of times.
    private static readonly TimeSpan FirstAskTimeout = TimeSpan.FromSeconds(5);

    // The run answers a wait at the end of its slice at the latest (it sweeps its waiters every second). No
    // answer a few seconds after that means the waiter was lost (the run moved, or a message was): ask again
    // then, not after a whole ask timeout. The chaos harness saw runs whose end reached the client 30 s late.
    private static readonly TimeSpan WaitSliceGrace = TimeSpan.FromSeconds(3);

    private readonly TimeSpan _askTimeout = askTimeout ?? TimeSpan.FromSeconds(30);
    private readonly TimeSpan _answerWithin = answerWithin ?? TimeSpan.FromSeconds(90);

    /// <summary>Starts the run, or finds it started already with the same task and input.</summary>
    /// <exception cref="RunIdConflictException">The run id names a run of another task or input.</exception>
    /// <exception cref="TooManyRunsInFlightException">The node that would host the run is at its MaxRunsInFlight.</exception>
    public async Task StartAsync(string runId, string taskName, string inputJson, CallOptions options, CancellationToken ct,
        bool callerChosenId = false)
    {
        var start = new StartRun(runId, taskName, inputJson, options)
        {
            CallerChosenId = callerChosenId, Trace = Diagnostics.AttemptTracing.CaptureCurrent(),
        };
        var accepted = await AskUntilAnsweredAsync<RunAccepted>(runId, start, "confirm its start",
            "It may or may not have started: look for it before starting the run again.", ct).ConfigureAwait(false);
        if (accepted.Conflict is { } held)
            throw new RunIdConflictException(runId, held.TaskName, held.InputJson, taskName, inputJson);
    }

    public async Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken ct = default) =>
        (await GetSummaryReplyAsync(runId, withGroupTree: false, ct).ConfigureAwait(false)).Summary;

    /// <summary>The run's summary, and with <paramref name="withGroupTree"/> the group folders a run page shows.</summary>
    public Task<RunSummaryReply> GetSummaryReplyAsync(string runId, bool withGroupTree, CancellationToken ct = default) =>
        AskUntilAnsweredAsync<RunSummaryReply>(runId, new GetRunSummary(runId) { WithGroupTree = withGroupTree ? true : null },
            "report its summary", null, ct);

    public async Task<ActionPage?> ListActionsAsync(string runId, ActionQuery query, CancellationToken ct = default)
    {
        query.Validate();
        var reply = await AskUntilAnsweredAsync<ActionPageReply>(runId, new ListActions(runId, query), "list its actions", null, ct)
            .ConfigureAwait(false);
        return reply.Page;
    }

    /// <summary>One action in full: null for a run never started; a reply without detail for an action the run does not have.</summary>
    public async Task<ActionDetailReply?> GetActionAsync(string runId, string actionId, CancellationToken ct = default)
    {
        var reply = await AskUntilAnsweredAsync<ActionDetailReply>(runId, new GetActionDetail(runId, actionId), "show one of its actions",
            null, ct).ConfigureAwait(false);
        return reply.RunExists ? reply : null;
    }

    /// <summary>Waits for the run to end, in slices so no waiter is held by the run for long.</summary>
    public async Task<RunOutcome> WaitAsync(string runId, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            object reply;
            try
            {
                reply = await AskAsync<object>(
                    new AwaitRun(runId, (long)WaitSlice.TotalMilliseconds),
                    WaitSlice + (WaitSliceGrace < _askTimeout ? WaitSliceGrace : _askTimeout), ct).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                continue; // the run's node may be restarting; ask again
            }
            if (reply is RunOutcome outcome) return outcome;
        }
    }

    public Task<RunOutcome> CancelAsync(string runId, string reason, CancellationToken ct = default) =>
        AskUntilAnsweredAsync<RunOutcome>(runId, new CancelRun(runId, reason), "confirm its cancellation",
            "It may have been cancelled: ask for its status.", ct);

    /// <summary>Asks until the run answers with a <typeparamref name="TReply"/>, or throws once the answer bound has passed.</summary>
    private async Task<TReply> AskUntilAnsweredAsync<TReply>(string runId, IRunMessage message, string what, string? advice,
        CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        var asks = 0;
        string why;
        while (true)
        {
            asks++;
            var left = _answerWithin - (DateTime.UtcNow - started);
            var timeout = AskTimeout(asks);
            try
            {
                var reply = await AskAsync<object>(message, left < timeout ? left : timeout, ct).ConfigureAwait(false);
                if (reply is TReply answer) return answer;
                if (reply is RunRefused refused) throw new TooManyRunsInFlightException(refused.RunId, refused.Limit);
                why = reply is RunUnavailable unavailable ? unavailable.Reason : $"it answered {reply.GetType().Name}";
            }
            catch (AskTimeoutException)
            {
                why = "no answer";
            }

            var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxRetryBackoff.TotalMilliseconds,
                FirstRetryBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(asks - 1, 10))));
            if (DateTime.UtcNow - started + backoff >= _answerWithin)
                throw new RunDidNotAnswerException(
                    $"Run {runId} did not {what} within {(DateTime.UtcNow - started).TotalSeconds:F0} s ({asks} ask(s); last: {why}). " +
                    $"Its node may be restarting or its journal database unreachable. {advice}".TrimEnd());
            await Task.Delay(backoff, ct).ConfigureAwait(false);
        }
    }

    private TimeSpan AskTimeout(int ask)
    {
        var first = Math.Min(FirstAskTimeout.TotalMilliseconds, _askTimeout.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Min(_askTimeout.TotalMilliseconds, first * Math.Pow(2, Math.Min(ask - 1, 10))));
    }

    private Task<T> AskAsync<T>(object message, TimeSpan timeout, CancellationToken ct) =>
        membership is null
            ? runRegion.Ask<T>(message, timeout, ct)
            : membership.CallAsync(token => runRegion.Ask<T>(message, timeout, token), ct);
}
