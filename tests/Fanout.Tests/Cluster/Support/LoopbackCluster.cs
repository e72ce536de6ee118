using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// A Fanout cluster as real processes on loopback, started the way deploy/ starts one: a lighthouse and
/// worker nodes (src/Fanout.Node) configured by the same environment variables, journaling to one
/// PostgreSQL database. The workers load the specs' task assembly and log what they run to a shared file.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _folder = new();
    private readonly ITestOutputHelper _output;
    private readonly List<ClusterNode> _workers = [];
    private HostProcess? _lighthouse;
    // Extra environment of each member by name ("lighthouse" or a worker's), e.g. its remoting TLS files.
    private readonly Func<string, IReadOnlyDictionary<string, string>>? _memberEnvironment;

    private LoopbackCluster(string connectionString, ITestOutputHelper output,
        Func<string, IReadOnlyDictionary<string, string>>? memberEnvironment = null)
    {
        ConnectionString = connectionString;
        _output = output;
        _memberEnvironment = memberEnvironment;
        LighthousePort = FreePorts.Next();
        TraceFile = _folder.File("trace.log");
    }

    public string ConnectionString { get; }
    public int LighthousePort { get; }
    /// <summary>Whether the members talk over mutual TLS (their environment names a FANOUT_TLS_CERTIFICATE).</summary>
    public bool Tls => _memberEnvironment?.Invoke("lighthouse").ContainsKey("FANOUT_TLS_CERTIFICATE") == true;
    public string Seed => $"{(Tls ? "akka.ssl.tcp" : "akka.tcp")}://fanout@127.0.0.1:{LighthousePort}";
    public string TraceFile { get; }
    public IReadOnlyList<ClusterNode> Workers => _workers;

    /// <summary>Starts a lighthouse and the named workers (each "name" or "name:role1,role2"), and waits until all are up.</summary>
    public static Task<LoopbackCluster> StartAsync(string connectionString, ITestOutputHelper output, params string[] workers) =>
        StartAsync(connectionString, output, null, workers);

    /// <summary>As above, each member ("lighthouse", or a worker's name) given the extra environment <paramref name="memberEnvironment"/> names.</summary>
    public static async Task<LoopbackCluster> StartAsync(string connectionString, ITestOutputHelper output,
        Func<string, IReadOnlyDictionary<string, string>>? memberEnvironment, params string[] workers)
    {
        var cluster = new LoopbackCluster(connectionString, output, memberEnvironment);
        try
        {
            await cluster.StartLighthouseAsync();
            await Task.WhenAll(workers.Select(w => cluster.StartWorkerAsync(w)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartLighthouseAsync()
    {
        _lighthouse?.Dispose();
        var env = new Dictionary<string, string>
        {
            ["ACTORSYSTEM"] = "fanout", ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = $"{LighthousePort}", ["CLUSTER_SEEDS"] = "",
        };
        foreach (var (key, value) in _memberEnvironment?.Invoke("lighthouse") ?? new Dictionary<string, string>()) env[key] = value;
        _lighthouse = HostProcess.Start("Fanout.Lighthouse.dll", env);
        await _lighthouse.WaitForLineAsync("lighthouse up:", StartWithin);
    }

    /// <summary>Starts a worker ("name" or "name:role,...") and waits until it is up in the cluster.</summary>
    public async Task<ClusterNode> StartWorkerAsync(string spec, IDictionary<string, string>? extra = null)
    {
        var (name, roles) = spec.Split(':') is [var n, var r] ? (n, r) : (spec, "");
        var env = WorkerEnvironment(name, roles);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) env[key] = value;
        var node = new ClusterNode(name, HostProcess.Start(RepoPaths.NodeProgram, env));
        lock (_workers) _workers.Add(node);
        await node.WaitUpAsync(StartWithin);
        return node;
    }

    public Dictionary<string, string> WorkerEnvironment(string name, string roles)
    {
        var env = BaseWorkerEnvironment(name, roles);
        foreach (var (key, value) in _memberEnvironment?.Invoke(name) ?? new Dictionary<string, string>()) env[key] = value;
        return env;
    }

    private Dictionary<string, string> BaseWorkerEnvironment(string name, string roles) => new()
    {
        ["ACTORSYSTEM"] = "fanout",
        ["CLUSTER_IP"] = "127.0.0.1",
        ["CLUSTER_PORT"] = "0",
        ["CLUSTER_SEEDS"] = Seed,
        ["CLUSTER_ROLES"] = roles,
        ["FANOUT_JOURNAL"] = "postgres",
        ["FANOUT_CONNECTION_STRING"] = ConnectionString,
        ["FANOUT_HTTP_PORT"] = "0",
        ["FANOUT_TASK_ASSEMBLIES"] = RepoPaths.ClusterApp,
        ["FANOUT_NODE_NAME"] = name,
        ["FANOUT_TEST_LOG"] = TraceFile,
        ["FANOUT_DRAIN_TIMEOUT"] = "10",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Fanout"] = "Information",
    };

    public ClusterNode Worker(string name) => _workers.Last(w => w.Name == name);

    /// <summary>SIGKILL: no leave, no flush.</summary>
    public void Kill(string name) => Worker(name).Process.KillHard();

    public void KillLighthouse() => _lighthouse?.KillHard();

    /// <summary>What the lighthouse printed so far.</summary>
    public string LighthouseOutput => _lighthouse?.Output ?? "";

    /// <summary>The lines the tasks wrote, every node's file together, in time order: (what, subject, node, unix ms).</summary>
    public IReadOnlyList<TraceLine> Trace() =>
        Directory.GetFiles(Path.GetDirectoryName(TraceFile)!, Path.GetFileName(TraceFile) + ".*")
            .SelectMany(ReadLines)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 4)
            .Select(parts => new TraceLine(parts[0], parts[1], parts[2], long.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(line => line.AtMs)
            .ToList();

    private static string[] ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        // A line being written has no newline yet: only whole lines count.
        var text = reader.ReadToEnd();
        return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            _output.WriteLine($"---- {worker.Name} ({worker.Address}) ----");
            _output.WriteLine(Tail(worker.Process.Output, 60));
            worker.Dispose();
        }
        if (_lighthouse is not null)
        {
            _output.WriteLine("---- lighthouse ----");
            _output.WriteLine(Tail(_lighthouse.Output, 20));
            _lighthouse.Dispose();
        }
        _folder.Dispose();
        await Task.CompletedTask;
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}

/// <summary>One line of the tasks' trace: "start|end &lt;subject&gt; &lt;node&gt; &lt;unix ms&gt;".</summary>
public sealed record TraceLine(string What, string Subject, string Node, long AtMs);
