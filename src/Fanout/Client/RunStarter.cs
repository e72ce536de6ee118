using System.Text.Json;
using Fanout.Protocol;
using Fanout.Runtime;
using Microsoft.Extensions.Logging;

namespace Fanout;

/// <summary>
/// Starts runs and hands out run handles: what <see cref="FanoutRuntime"/> and <see cref="FanoutClient"/>
/// share. It checks what can be checked here (the task is known, the input fits the task and the size
/// limit) before anything reaches the cluster.
/// </summary>
internal sealed class RunStarter(RunClient runs, Func<string, Uri?> runUrl, int maxPayloadBytes, ILogger log)
{
    public async Task<RunHandle<TOut>> RunAsync<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, TIn input, RunOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        options?.Validate();
        // Registers the tasks defined beside this one, so children defined in other classes are known.
        if (task.DefiningAssembly is { } assembly) TaskCatalog.LoadAssembly(assembly);
        return await StartAsync<TOut>(task, PayloadJson.Serialize(input), options, ct).ConfigureAwait(false);
    }

    public Task<RunHandle<JsonElement>> RunAsync(string taskName, string inputJson, RunOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(taskName);
        ArgumentNullException.ThrowIfNull(inputJson);
        options?.Validate();
        var task = TaskCatalog.Get(taskName);
        task.ValidateInputJson(inputJson);
        return StartAsync<JsonElement>(task, inputJson, options, ct);
    }

    public RunHandle<TOut> GetRun<TOut>(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return new RunHandle<TOut>(runId, runUrl(runId), runs);
    }

    /// <summary>Cancels a run by id, as its handle would.</summary>
    public Task<RunStatus> CancelAsync(string runId, string? reason, CancellationToken ct) =>
        GetRun<JsonElement>(runId).CancelAsync(reason ?? "cancelled by the caller", ct);

    private async Task<RunHandle<TOut>> StartAsync<TOut>(TaskDefinition task, string inputJson, RunOptions? options, CancellationToken ct)
    {
        PayloadLimit.Check(inputJson, maxPayloadBytes, task.Name, "input");
        var runId = options?.RunId ?? RunIds.New();
        await runs.StartAsync(runId, task.Name, inputJson, CallOptions.From(task.Options, task.Environment.Role), ct,
            callerChosenId: options?.RunId is not null).ConfigureAwait(false);
        if (options?.RunId is null) log.LogInformation("Run {RunId} of {Task} started", runId, task.Name);
        else log.LogInformation("Run {RunId} of {Task} started, or found started already", runId, task.Name);
        return new RunHandle<TOut>(runId, runUrl(runId), runs);
    }
}
