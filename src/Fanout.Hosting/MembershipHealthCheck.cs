using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Hosting;

/// <summary>
/// <c>fanout-membership</c>: Healthy when this member is Up and sees every other member; Degraded when some are
/// unreachable (named); Unhealthy when this member is not Up (joining, leaving, removed) or its actor system is stopping.
/// </summary>
internal sealed class MembershipHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (system, fanout) = HostedFanoutLookup.Find(services);
        if (system is null || fanout is null) return Task.FromResult(HealthCheckResult.Unhealthy(HostedFanoutLookup.NotStarted));
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var self = cluster.SelfMember;
        var unreachable = state.Unreachable.Select(m => m.Address.ToString()).Order(StringComparer.Ordinal).ToList();
        var data = new Dictionary<string, object>
        {
            ["self"] = cluster.SelfAddress.ToString(),
            ["status"] = self.Status.ToString(),
            ["roles"] = cluster.SelfRoles.Order(StringComparer.Ordinal).ToList(),
            ["members"] = state.Members.Count,
            ["unreachable"] = unreachable,
        };
        if (CoordinatedShutdown.Get(system).ShutdownReason is { } reason)
            return Task.FromResult(HealthCheckResult.Unhealthy($"this member is shutting down ({reason})", data: data));
        if (self.Status != MemberStatus.Up)
            return Task.FromResult(HealthCheckResult.Unhealthy($"this member is {self.Status.ToString().ToLowerInvariant()} in the cluster, not up", data: data));
        return Task.FromResult(unreachable.Count == 0
            ? HealthCheckResult.Healthy($"up in a cluster of {state.Members.Count}", data)
            : HealthCheckResult.Degraded($"up, but {unreachable.Count} member(s) are unreachable: {string.Join(", ", unreachable)}", data: data));
    }
}
