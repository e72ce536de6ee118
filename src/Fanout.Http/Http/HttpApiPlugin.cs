using Fanout.Clustering;
using Fanout.Runtime;
using Fanout.Runtime.Index;

namespace Fanout.Http;

/// <summary>
/// What a runtime finds by name (<see cref="HttpApiPlugins.DefaultTypeName"/>) when the app references Fanout.Http:
/// it starts <see cref="RunApi"/>. Renaming or moving this type breaks that name.
/// </summary>
internal sealed class HttpApiPlugin : IHttpApiPlugin
{
    public async Task<IRunningHttpApi> StartAsync(RunClient runs, RunStarter starter, RunsIndexStore runsIndex, ClusterInspector cluster,
        FanoutRuntimeOptions options, CancellationToken cancellationToken) =>
        await RunApi.StartAsync(runs, starter, runsIndex, cluster, options, cancellationToken).ConfigureAwait(false);
}
