using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Hosting;

internal sealed class MembershipHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        _ = services;
        throw new NotImplementedException();
    }
}
