using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.WebApp;

/// <summary>
/// A lighthouse and two workers (src/Fanout.Node processes) that load the sample's task assembly,
/// Fanout.Samples.Reports.dll, through FANOUT_TASK_ASSEMBLIES, as a deployment of the sample would.
/// </summary>
internal static class ReportsCluster
{
    /// <summary>The task assembly, built beside the tests (the app the tests reference references it).</summary>
    public static string TaskAssembly => Path.Combine(AppContext.BaseDirectory, "Fanout.Samples.Reports.dll");

    public static async Task<LoopbackCluster> StartAsync(PostgresDatabase db, ITestOutputHelper output)
    {
        var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output);
        try
        {
            var tasks = new Dictionary<string, string> { ["FANOUT_TASK_ASSEMBLIES"] = TaskAssembly };
            await Task.WhenAll(cluster.StartWorkerAsync("worker-1", tasks), cluster.StartWorkerAsync("worker-2", tasks));
            await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
