using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cluster.Support;

/// <summary>What the cluster specs ask of a running cluster, through its HTTP API and a client member.</summary>
internal static class ClusterChecks
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>A lighthouse and two workers (worker-1, worker-2) on the database, each listing both executors.</summary>
    public static async Task<LoopbackCluster> StartTwoWorkersAsync(PostgresDatabase db, Xunit.Abstractions.ITestOutputHelper output)
    {
        var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ExecutorsVisibleAsync(cluster, 2);
        return cluster;
    }

    /// <summary>Waits until every worker's directory lists <paramref name="executors"/> executors (GET /cluster).</summary>
    public static async Task ExecutorsVisibleAsync(LoopbackCluster cluster, int executors)
    {
        foreach (var worker in cluster.Workers.Where(w => !w.Process.HasExited))
            await Eventually.Value(async () => await CountExecutorsAsync(worker), n => n == executors, LoopbackCluster.StartWithin,
                $"{worker.Name} to list {executors} executor(s)");
    }

    private static async Task<int> CountExecutorsAsync(ClusterNode worker)
    {
        try
        {
            var view = await Http.GetFromJsonAsync<JsonElement>(new Uri(worker.HttpApi!, "cluster"));
            return view.GetProperty("executors").GetArrayLength();
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    /// <summary>The members a worker sees (GET /cluster): address, status, reachability and roles of each.</summary>
    public static async Task<IReadOnlyList<(string Address, string Status, bool Reachable, string[] Roles)>> MembersAsync(ClusterNode worker)
    {
        var view = await Http.GetFromJsonAsync<JsonElement>(new Uri(worker.HttpApi!, "cluster"));
        return view.GetProperty("members").EnumerateArray()
            .Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!, m.GetProperty("reachable").GetBoolean(),
                m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray()))
            .ToList();
    }

    /// <summary>Connects the test process to the cluster as a client member, checking messages as if they crossed nodes.</summary>
    public static Task<FanoutClient> ConnectAsync(LoopbackCluster cluster) =>
        FanoutClient.ConnectAsync(new FanoutClientOptions
        {
            Seeds = { cluster.Seed },
            AkkaConfig = "akka.actor.serialize-messages = on",
        });

    /// <summary>Polls the run's summary through any live worker's HTTP API (a client's queries wait while the run's node is gone).</summary>
    public static async Task<JsonElement> SummaryAsync(LoopbackCluster cluster, string runId)
    {
        foreach (var worker in cluster.Workers.Where(w => !w.Process.HasExited))
        {
            try
            {
                return await Http.GetFromJsonAsync<JsonElement>(new Uri(worker.HttpApi!, "runs/" + runId));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // that node is busy or its run's shard is moving: try another
            }
        }
        return default;
    }

    public static int Count(JsonElement summary, string status) =>
        summary.ValueKind == JsonValueKind.Object && summary.GetProperty("counts").TryGetProperty(status, out var n) ? n.GetInt32() : 0;
}
