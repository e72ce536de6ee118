using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Hosting;

/// <summary>Registers Fanout's checks; a client member (known from its registration) gets only the membership check.</summary>
internal static class FanoutHealthChecks
{
    public static IHealthChecksBuilder Add(IHealthChecksBuilder builder, string[] tags)
    {
        var isClient = builder.Services.Any(d => d.ServiceType == typeof(HostedSettings<FanoutClientOptions>));
        builder.Services.TryAddSingleton(sp => new JournalProbes(sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        builder.AddCheck<MembershipHealthCheck>(FanoutHealthChecksBuilderExtensions.MembershipCheck, tags: tags);
        if (isClient) return builder;
        builder.AddCheck<JournalHealthCheck>(FanoutHealthChecksBuilderExtensions.JournalCheck, tags: tags);
        builder.AddCheck<ExecutorHealthCheck>(FanoutHealthChecksBuilderExtensions.ExecutorCheck, tags: tags);
        return builder;
    }
}
