using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Fanout.Benchmarks.Processes;

/// <summary>
/// How this repository's cluster programs are started on loopback, as deploy/ runs them: a lighthouse on
/// a free port, and workers told by environment variables to join it, journal to PostgreSQL and load a
/// task assembly. Shared by the benchmark's cluster and the chaos harness (tests/Fanout.Chaos links it).
/// </summary>
internal static class NodeProcesses
{
    /// <summary>What a worker prints once it is a member: "fanout node up: ADDRESS roles [...] http URL".</summary>
    public const string WorkerReady = "fanout node up:";

    /// <summary>
    /// Starts a lighthouse on a free loopback port; <paramref name="seed"/> is its address, the seed every member joins.
    /// With <paramref name="tls"/> (FANOUT_TLS_* variables) it talks mutual TLS and its address is akka.ssl.tcp.
    /// </summary>
    public static ChildProcess StartLighthouse(string workingDirectory, out string seed, IReadOnlyDictionary<string, string>? tls = null)
    {
        var port = FreePort();
        seed = $"{(tls is null ? "akka.tcp" : "akka.ssl.tcp")}://fanout@127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["ACTORSYSTEM"] = "fanout", ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = $"{port}", ["CLUSTER_SEEDS"] = "",
        };
        foreach (var (key, value) in tls ?? new Dictionary<string, string>()) environment[key] = value;
        return ChildProcess.Start("lighthouse", ProgramPaths.Lighthouse, workingDirectory, environment, "lighthouse up:");
    }

    /// <summary>A worker's settings: loopback, any free port, HTTP API on any port, warnings and worse in its output.</summary>
    public static Dictionary<string, string> WorkerEnvironment(string name, string seed, string connectionString, string taskAssembly) => new()
    {
        ["ACTORSYSTEM"] = "fanout",
        ["CLUSTER_IP"] = "127.0.0.1",
        ["CLUSTER_PORT"] = "0",
        ["CLUSTER_SEEDS"] = seed,
        ["FANOUT_JOURNAL"] = "postgres",
        ["FANOUT_CONNECTION_STRING"] = connectionString,
        ["FANOUT_HTTP_PORT"] = "0",
        ["FANOUT_TASK_ASSEMBLIES"] = taskAssembly,
        ["FANOUT_NODE_NAME"] = name,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>The HTTP API a worker printed in its ready line.</summary>
    public static Uri HttpApiOf(string upLine) =>
        Uri.TryCreate(upLine[(upLine.LastIndexOf(" http ", StringComparison.Ordinal) + " http ".Length)..], UriKind.Absolute, out var url)
            ? url
            : throw new InvalidOperationException($"no HTTP API in '{upLine}'");

    /// <summary>How many executors the worker's directory lists (GET /cluster), or -1 while it does not answer.</summary>
    public static async Task<int> CountExecutorsAsync(HttpClient http, Uri httpApi, CancellationToken cancellationToken)
    {
        try
        {
            var view = await http.GetFromJsonAsync<JsonElement>(new Uri(httpApi, "cluster"), cancellationToken);
            return view.GetProperty("executors").GetArrayLength();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException)
        {
            // not serving yet, or no answer within the HTTP client's or the wait's time: the caller decides
            return -1;
        }
    }

    // The lighthouse needs a port known before it starts, to give the workers as their seed. Another
    // process could take it in between; that race is rare enough to leave to the lighthouse's own error.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
