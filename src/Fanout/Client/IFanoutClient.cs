using System.Text.Json;

namespace Fanout;

/// <summary>
/// What an app does with Fanout: start runs, reach them by id, list them and cancel them. <see cref="FanoutClient"/>
/// (a client member of a cluster) and <see cref="FanoutRuntime"/> (a runtime in this process) implement it, so an app
/// injects this interface and a test can put a fake in its place. The run handles are the same either way.
/// </summary>
public interface IFanoutClient
{
    /// <summary>Starts a run of <paramref name="task"/> on <paramref name="input"/>; the task becomes the run's root action.</summary>
    /// <returns>A handle to wait for the run, inspect it or cancel it.</returns>
    /// <exception cref="PayloadTooLargeException">The input is larger than the configured MaxPayloadBytes.</exception>
    Task<RunHandle<TOut>> RunAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a run of <paramref name="task"/> on <paramref name="input"/> as <paramref name="options"/> say; with
    /// <see cref="RunOptions.RunId"/> set, a start repeated with the same task and input returns the same run.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="RunOptions.RunId"/> breaks the rule for run ids (the message names it).</exception>
    /// <exception cref="RunIdConflictException">The run id already names a run of another task or input.</exception>
    /// <exception cref="TooManyRunsInFlightException">The node that would host the run already runs its MaxRunsInFlight.</exception>
    Task<RunHandle<TOut>> RunAsync<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, TIn input, RunOptions options, CancellationToken cancellationToken = default);

    /// <summary>Starts a run of the task named <paramref name="taskName"/> (<c>environment.task</c>) on a JSON input.</summary>
    /// <exception cref="UnknownTaskException">No task of that name is defined in this process.</exception>
    /// <exception cref="InvalidTaskInputException">The JSON does not deserialize to the task's input type.</exception>
    Task<RunHandle<JsonElement>> RunAsync(string taskName, string inputJson, CancellationToken cancellationToken = default);

    /// <summary>Starts a run of the task named <paramref name="taskName"/> on a JSON input as <paramref name="options"/> say.</summary>
    /// <exception cref="UnknownTaskException">No task of that name is defined in this process.</exception>
    /// <exception cref="InvalidTaskInputException">The JSON does not deserialize to the task's input type.</exception>
    Task<RunHandle<JsonElement>> RunAsync(string taskName, string inputJson, RunOptions options, CancellationToken cancellationToken = default);

    /// <summary>A handle to a run started earlier, by this process or another one on the same cluster or journal.</summary>
    RunHandle<TOut> GetRun<TOut>(string runId);

    /// <summary>
    /// Lists runs from the runs index, newest started first, a page at a time: pass each page's
    /// <see cref="RunListPage.NextCursor"/> as the next query's <see cref="RunListQuery.Cursor"/>. A running run's
    /// counts are at most about a second old; purged runs are not listed.
    /// </summary>
    /// <param name="query">Filters and paging; null for the first 50 runs.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <exception cref="ArgumentException">A property of <paramref name="query"/> has a bad value (the message names it).</exception>
    Task<RunListPage> ListRunsAsync(RunListQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels the run <paramref name="runId"/>: its running actions are cancelled and it ends as
    /// <see cref="RunStatus.Cancelled"/>. A run that already ended keeps its status.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="reason">Why, recorded with the run; null for "cancelled by the caller".</param>
    /// <param name="cancellationToken">Stops waiting for the confirmation (the cancellation may still happen).</param>
    /// <returns>The run's status once the cancellation is confirmed.</returns>
    Task<RunStatus> CancelRunAsync(string runId, string? reason = null, CancellationToken cancellationToken = default);
}
