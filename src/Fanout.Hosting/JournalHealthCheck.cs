using Fanout.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Hosting;

/// <summary>
/// <c>fanout-journal</c>: whether this worker's journal database answers a trivial query within a short timeout (the same
/// probe as the HTTP API's readiness, its answer kept a few seconds). What failed is in the log, not the result: a
/// database error names hosts and users.
/// </summary>
internal sealed class JournalHealthCheck(IServiceProvider services, JournalProbes probes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (_, fanout) = HostedFanoutLookup.Find(services);
        if (fanout is null) return HealthCheckResult.Unhealthy(HostedFanoutLookup.NotStarted);
        if (fanout is not FanoutRuntime runtime) return HealthCheckResult.Healthy("this member is a client: it has no journal");
        var data = new Dictionary<string, object> { ["timeoutSeconds"] = JournalProbe.Timeout.TotalSeconds };
        var problem = await probes.For(runtime).ProblemAsync()
            .WaitAsync(JournalProbe.Timeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        return problem is null ? HealthCheckResult.Healthy("the journal database answers", data) : HealthCheckResult.Unhealthy(problem, data: data);
    }
}
