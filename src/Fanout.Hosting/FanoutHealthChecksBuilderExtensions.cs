using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Hosting;

/// <summary>Fanout's health checks for an app's <c>services.AddHealthChecks()</c>.</summary>
public static class FanoutHealthChecksBuilderExtensions
{
    /// <summary>The membership check's name: this member is Up; unreachable members are named.</summary>
    public const string MembershipCheck = "fanout-membership";

    /// <summary>The journal check's name (workers only): the journal database answers.</summary>
    public const string JournalCheck = "fanout-journal";

    /// <summary>The executor check's name (workers only): slots, busy, waiting; a draining executor is Degraded.</summary>
    public const string ExecutorCheck = "fanout-executor";

    /// <summary>
    /// Adds <c>fanout-membership</c>, and for a worker or embedded runtime <c>fanout-journal</c> and <c>fanout-executor</c>.
    /// Each result's data carries the figures it judged by. Before Fanout has started they report Unhealthy saying so.
    /// </summary>
    /// <param name="builder">The app's health checks.</param>
    /// <param name="tags">Tags for every Fanout check (for example "ready", to map them on a readiness endpoint).</param>
    public static IHealthChecksBuilder AddFanoutHealthChecks(this IHealthChecksBuilder builder, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return FanoutHealthChecks.Add(builder, tags);
    }
}
