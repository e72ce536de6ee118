using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout;

/// <summary>
/// A started run: its id, its address in the HTTP API, and ways to wait for it, look into it and
/// cancel it. Returned by <see cref="FanoutRuntime.RunAsync{TIn,TOut}(TaskDefinition{TIn,TOut}, TIn, CancellationToken)"/> and <see cref="FanoutRuntime.GetRun{TOut}"/>.
/// </summary>
/// <typeparam name="TOut">The root task's result type.</typeparam>
public sealed class RunHandle<TOut>
{
    private readonly RunClient _client;

    internal RunHandle(string id, Uri? url, RunClient client)
    {
        Id = id;
        Url = url;
        _client = client;
    }

    /// <summary>The run's id.</summary>
    public string Id { get; }

    /// <summary>The run's address in the runtime's HTTP API, or null when the HTTP API is off.</summary>
    public Uri? Url { get; }

    /// <summary>The status this handle saw last (after <see cref="WaitAsync"/> or <see cref="GetStatusAsync"/>).</summary>
    public RunStatus Status { get; private set; } = RunStatus.Running;

    /// <summary>Asks the run for its status now.</summary>
    /// <exception cref="FanoutException">No run with this id was ever started.</exception>
    public async Task<RunStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        (await GetSummaryAsync(cancellationToken).ConfigureAwait(false)).Status;

    /// <summary>Asks the run for its summary: status and action counts by status and group.</summary>
    /// <exception cref="FanoutException">No run with this id was ever started.</exception>
    public async Task<RunSummary> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        var summary = await _client.GetSummaryAsync(Id, cancellationToken).ConfigureAwait(false) ?? throw NotFound();
        Status = summary.Status;
        return summary;
    }

    /// <summary>Lists a page of the run's actions, filtered by status and group.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The query's offset or limit is out of range.</exception>
    /// <exception cref="FanoutException">No run with this id was ever started.</exception>
    public async Task<ActionPage> GetActionsAsync(ActionQuery? query = null, CancellationToken cancellationToken = default) =>
        await _client.ListActionsAsync(Id, query ?? new ActionQuery(), cancellationToken).ConfigureAwait(false) ?? throw NotFound();

    /// <summary>One of the run's actions in full: its attempts (when and where each ran, how it ended) and previews of its input and result.</summary>
    /// <param name="actionId">The action's id, as <see cref="ActionInfo.ActionId"/> gives it.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The action, or null when the run has no action with that id.</returns>
    /// <exception cref="FanoutException">No run with this id was ever started.</exception>
    public async Task<ActionDetail?> GetActionAsync(string actionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actionId);
        var reply = await _client.GetActionAsync(Id, actionId, cancellationToken).ConfigureAwait(false) ?? throw NotFound();
        return reply.Detail;
    }

    /// <summary>Waits for the run to end and returns its root task's result.</summary>
    /// <exception cref="ActionFailedException">The root action failed; it carries the remote error.</exception>
    /// <exception cref="RunCancelledException">The run was cancelled.</exception>
    /// <exception cref="FanoutException">No run with this id was ever started.</exception>
    public async Task<TOut> WaitAsync(CancellationToken cancellationToken = default)
    {
        var outcome = await _client.WaitAsync(Id, cancellationToken).ConfigureAwait(false);
        if (!outcome.Exists) throw NotFound();
        Status = outcome.Status;
        return outcome.Status switch
        {
            RunStatus.Succeeded => PayloadJson.Deserialize<TOut>(outcome.ResultJson ?? "null"),
            RunStatus.Cancelled => throw new RunCancelledException(Id),
            _ => throw new ActionFailedException(outcome.FailedActionId ?? Id, outcome.FailedTaskName ?? "", outcome.Attempts,
                (outcome.Error ?? new ErrorInfo("Unknown", "no error was recorded", null)).ToPublic()),
        };
    }

    /// <summary>
    /// Cancels the run: every in-flight action's cancellation token fires, and they are recorded as
    /// cancelled. Cancelling a run that has ended changes nothing.
    /// </summary>
    /// <returns>The run's status after the call.</returns>
    public async Task<RunStatus> CancelAsync(string reason = "cancelled by the caller", CancellationToken cancellationToken = default)
    {
        var outcome = await _client.CancelAsync(Id, reason, cancellationToken).ConfigureAwait(false);
        if (!outcome.Exists) throw NotFound();
        Status = outcome.Status;
        return outcome.Status;
    }

    private FanoutException NotFound() => new($"No run with id '{Id}' was ever started on this runtime's journal");

    /// <inheritdoc />
    public override string ToString() => Url?.ToString() ?? Id;
}
