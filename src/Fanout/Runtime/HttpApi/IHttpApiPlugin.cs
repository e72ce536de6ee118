using Fanout.Clustering;
using Fanout.Runtime.Index;

namespace Fanout.Runtime;

/// <summary>
/// Starts the HTTP API and the run pages for a runtime that is up. The SDK holds no ASP.NET Core: the server lives in
/// the Fanout.Http assembly, which <see cref="HttpApiPlugins"/> finds by type name when the app references it
/// (the way Akka.NET loads its plugins).
/// </summary>
internal interface IHttpApiPlugin
{
    /// <summary>Listens where <paramref name="options"/> say (HttpHost, HttpPort, HTTPS, tokens) and serves the runtime's runs.</summary>
    /// <exception cref="IOException">The port is in use.</exception>
    Task<IRunningHttpApi> StartAsync(RunClient runs, RunStarter starter, RunsIndexStore runsIndex, ClusterInspector cluster,
        FanoutRuntimeOptions options, CancellationToken cancellationToken);
}
