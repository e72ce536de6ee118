using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Hosting;

/// <summary>
/// The <see cref="IFanoutClient"/> apps inject. Fanout starts with the host, after the generic host has built its
/// hosted services, so a hosted service (a <c>BackgroundService</c> that starts runs) takes this in its constructor
/// and each call goes to the Fanout started on the app's actor system. A call before the host has started fails,
/// saying so.
/// </summary>
internal sealed class HostedFanoutClient(IServiceProvider services) : IFanoutClient
{
    private IFanoutClient? _started;

    private IFanoutClient Started => _started ??= HostedInstances.Get(services.GetRequiredService<ActorSystem>());

    public Task<RunHandle<TOut>> RunAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input, CancellationToken cancellationToken = default) =>
        Started.RunAsync(task, input, cancellationToken);

    public Task<RunHandle<TOut>> RunAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input, RunOptions options,
        CancellationToken cancellationToken = default) => Started.RunAsync(task, input, options, cancellationToken);

    public Task<RunHandle<JsonElement>> RunAsync(string taskName, string inputJson, CancellationToken cancellationToken = default) =>
        Started.RunAsync(taskName, inputJson, cancellationToken);

    public Task<RunHandle<JsonElement>> RunAsync(string taskName, string inputJson, RunOptions options,
        CancellationToken cancellationToken = default) => Started.RunAsync(taskName, inputJson, options, cancellationToken);

    public RunHandle<TOut> GetRun<TOut>(string runId) => Started.GetRun<TOut>(runId);

    public Task<RunListPage> ListRunsAsync(RunListQuery? query = null, CancellationToken cancellationToken = default) =>
        Started.ListRunsAsync(query, cancellationToken);

    public Task<RunStatus> CancelRunAsync(string runId, string? reason = null, CancellationToken cancellationToken = default) =>
        Started.CancelRunAsync(runId, reason, cancellationToken);
}
