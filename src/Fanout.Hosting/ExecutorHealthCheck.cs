using Akka.Actor;
using Akka.Cluster;
using Fanout.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Hosting;

/// <summary>
/// <c>fanout-executor</c>: this node's executor as its directory and the executor itself report it (what
/// <c>GET /executors</c> shows): Healthy while it takes work, Degraded while it drains to leave, Unhealthy when it is not
/// registered yet or does not answer. The data carries its slots, busy, waiting and how many may wait.
/// </summary>
internal sealed class ExecutorHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (system, fanout) = HostedFanoutLookup.Find(services);
        if (system is null || fanout is null) return HealthCheckResult.Unhealthy(HostedFanoutLookup.NotStarted);
        if (fanout is not FanoutRuntime runtime) return HealthCheckResult.Healthy("this member is a client: it runs no actions");
        ExecutorsView executors;
        try
        {
            executors = await new ExecutorsInspector(runtime.Executors).GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or InvalidOperationException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("this node's executor directory did not answer");
        }
        var self = Cluster.Get(system).SelfAddress.ToString();
        var mine = executors.Executors.FirstOrDefault(e => e.Node == self);
        if (mine is null) return HealthCheckResult.Unhealthy("this node's executor is not registered in its executor directory yet");
        var data = new Dictionary<string, object>
        {
            ["node"] = mine.Node,
            ["draining"] = mine.Draining ?? false,
        };
        if (mine.Slots is { } slots) data["slots"] = slots;
        if (mine.Busy is { } busy) data["busy"] = busy;
        if (mine.Waiting is { } waiting) data["waiting"] = waiting;
        if (mine.MaxWaiting is { } maxWaiting) data["maxWaiting"] = maxWaiting;
        if (mine.Error is { } error) return HealthCheckResult.Unhealthy(error, data: data);
        if (mine.Draining == true) return HealthCheckResult.Degraded("this node's executor is draining: it takes no new work", data: data);
        return HealthCheckResult.Healthy($"{mine.Busy} of {mine.Slots} slots busy, {mine.Waiting} waiting", data);
    }
}
