using System.Runtime.CompilerServices;
using Fanout.Operations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Hosting;

/// <summary>One <see cref="JournalProbe"/> per runtime, so the probe's short-lived answer is shared by every health check run.</summary>
internal sealed class JournalProbes(ILoggerFactory? loggerFactory = null)
{
    private readonly ConditionalWeakTable<FanoutRuntime, JournalProbe> _probes = new();

    public JournalProbe For(FanoutRuntime runtime) => _probes.GetValue(runtime,
        r => new JournalProbe(r.RunsIndex.Database, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<JournalProbe>()));
}
