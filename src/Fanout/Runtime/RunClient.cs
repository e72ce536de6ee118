using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Asks the run entities for what the client API and the HTTP API show. A client member's asks go through
/// its <see cref="ClientMembership"/>, so they fail at once, saying why, when the cluster has removed it.
/// </summary>
internal sealed class RunClient(IActorRef runRegion, ClientMembership? membership = null)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(10);

    /// <summary>Starts the run, or finds it started already with the same task and input.</summary>
    /// <exception cref="RunIdConflictException">The run id names a run of another task or input.</exception>
    public async Task StartAsync(string runId, string taskName, string inputJson, CallOptions options, CancellationToken ct)
    {
        var accepted = await AskAsync<RunAccepted>(new StartRun(runId, taskName, inputJson, options), QueryTimeout, ct)
            .ConfigureAwait(false);
        if (accepted.Conflict is { } held)
            throw new RunIdConflictException(runId, held.TaskName, held.InputJson, taskName, inputJson);
    }

    public async Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken ct = default)
    {
        var reply = await AskAsync<RunSummaryReply>(new GetRunSummary(runId), QueryTimeout, ct).ConfigureAwait(false);
        return reply.Summary;
    }

    public async Task<ActionPage?> ListActionsAsync(string runId, ActionQuery query, CancellationToken ct = default)
    {
        query.Validate();
        var reply = await AskAsync<ActionPageReply>(new ListActions(runId, query), QueryTimeout, ct).ConfigureAwait(false);
        return reply.Page;
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
                    new AwaitRun(runId, (long)WaitSlice.TotalMilliseconds), WaitSlice + QueryTimeout, ct).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                continue; // the run's node may be restarting; ask again
            }
            if (reply is RunOutcome outcome) return outcome;
        }
    }

    public Task<RunOutcome> CancelAsync(string runId, string reason, CancellationToken ct = default) =>
        AskAsync<RunOutcome>(new CancelRun(runId, reason), QueryTimeout, ct);

    private Task<T> AskAsync<T>(object message, TimeSpan timeout, CancellationToken ct) =>
        membership is null
            ? runRegion.Ask<T>(message, timeout, ct)
            : membership.CallAsync(token => runRegion.Ask<T>(message, timeout, token), ct);
}
