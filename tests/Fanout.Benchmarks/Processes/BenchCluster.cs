namespace Fanout.Benchmarks.Processes;

/// <summary>
/// A Fanout cluster on loopback, as deploy/ runs one: a lighthouse and worker processes (src/Fanout.Node)
/// configured by environment variables, journaling to one PostgreSQL database and loading this benchmark's
/// assembly for its tasks. Disposing it stops the workers, then the lighthouse, and prints what they
/// logged beyond starting and stopping.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(45);

    // What the programs print about their own start and leave, and the lighthouse's Akka INFO lines (its
    // log level is fixed): any other line, a warning or an error, is worth showing.
    private static readonly string[] RoutineLines =
        ["fanout node up:", "fanout node leaving", "fanout node left", "lighthouse up:", "lighthouse leaving", "lighthouse left", "[INFO]"];

    private readonly ChildProcess _lighthouse;
    private readonly List<Worker> _workers = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<string> _phases = [];
    private bool _stopped;

    private BenchCluster(ChildProcess lighthouse, string seed)
    {
        _lighthouse = lighthouse;
        Seed = seed;
    }

    /// <summary>The lighthouse's address, the one seed every member joins.</summary>
    public string Seed { get; }

    /// <summary>The worker processes, for their resident sets.</summary>
    public IEnumerable<ChildProcess> Workers => _workers.Select(w => w.Process);

    /// <summary>The workers and the lighthouse.</summary>
    public IEnumerable<ChildProcess> Processes => Workers.Append(_lighthouse);

    /// <summary>Starts the lighthouse, then <paramref name="workers"/> workers at once, and waits until all are up.</summary>
    /// <param name="tls">FANOUT_TLS_* variables every member gets (mutual TLS on remoting), or null for plain TCP.</param>
    public static async Task<BenchCluster> StartAsync(string connectionString, int workers, string workingDirectory, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? tls = null)
    {
        var lighthouse = NodeProcesses.StartLighthouse(workingDirectory, out var seed, tls);
        var cluster = new BenchCluster(lighthouse, seed);
        try
        {
            cluster.Mark("start");
            await lighthouse.Ready.WaitAsync(StartWithin, cancellationToken);
            var taskAssembly = typeof(BenchCluster).Assembly.Location;
            for (var i = 1; i <= workers; i++)
            {
                var name = $"worker-{i}";
                var process = ChildProcess.Start(name, ProgramPaths.Node, workingDirectory,
                    WorkerEnvironment(name, cluster.Seed, connectionString, taskAssembly, tls), NodeProcesses.WorkerReady);
                cluster._workers.Add(new Worker(process));
            }
            foreach (var worker in cluster._workers)
                worker.HttpApi = NodeProcesses.HttpApiOf(await worker.Process.Ready.WaitAsync(StartWithin, cancellationToken));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until every worker's executor directory (GET /cluster) lists <paramref name="executors"/>
    /// executors: until then a run's actions would all be placed on the nodes it already knows.
    /// </summary>
    public async Task WaitForExecutorsAsync(int executors, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartWithin);
        foreach (var worker in _workers)
        {
            while (true)
            {
                var seen = await NodeProcesses.CountExecutorsAsync(_http, worker.HttpApi!, timeout.Token);
                if (seen == executors) break;
                cancellationToken.ThrowIfCancellationRequested();
                if (timeout.IsCancellationRequested)
                    throw new TimeoutException($"{worker.Process.Name} listed {seen} executor(s), not {executors}, for {StartWithin.TotalSeconds:F0} s");
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    /// <summary>Notes the local time a phase of the scenario begins, to read the processes' logs against.</summary>
    public void Mark(string phase) => _phases.Add($"{phase} {DateTime.Now:HH:mm:ss.fff}");

    /// <summary>Awaits <paramref name="work"/>, but fails at once if a process of the cluster exits meanwhile.</summary>
    public async Task<T> WhileUpAsync<T>(Task<T> work)
    {
        var exited = Task.WhenAny(Processes.Select(async p => (p, await p.Exited)));
        if (await Task.WhenAny(work, exited) == work) return await work;
        var (process, code) = await await exited;
        throw new InvalidOperationException(
            $"{process.Name} exited with code {code} during the run. Its last lines:\n{string.Join('\n', process.Lines.TakeLast(30))}");
    }

    /// <summary>Stops the workers one by one, newest first, then the lighthouse, and reports what they logged.</summary>
    /// <remarks>
    /// One by one because, when both left at once, one of them waited out the 10 s cluster-exiting phase
    /// before it could exit. The last to go has no one to hand its shards to; the run is over by then.
    /// </remarks>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        Mark("stopping");
        var stops = new List<(ChildProcess Process, bool Graceful)>();
        foreach (var process in Workers.Reverse().Append(_lighthouse))
            stops.Add((process, await process.StopAsync(StopWithin)));
        var logs = stops.Select(stop => (stop.Process, Lines: NotableLines(stop.Process))).Where(log => log.Lines.Count > 0).ToList();
        if (logs.Count > 0) Console.Error.WriteLine($"\ncluster phases (local time): {string.Join(", ", _phases)}");
        foreach (var (process, graceful) in stops.Where(stop => !stop.Graceful))
            Console.Error.WriteLine($"warning: {process.Name} did not exit within {StopWithin.TotalSeconds:F0} s of SIGTERM and was killed");
        foreach (var (process, lines) in logs)
        {
            Console.Error.WriteLine($"{process.Name} (pid {process.Id}) logged {lines.Count} line(s):");
            foreach (var line in lines.Take(20)) Console.Error.WriteLine($"  {line}");
            if (lines.Count > 20) Console.Error.WriteLine($"  ... and {lines.Count - 20} more");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var worker in Workers) await worker.DisposeAsync();
        await _lighthouse.DisposeAsync();
        _http.Dispose();
    }

    private static Dictionary<string, string> WorkerEnvironment(string name, string seed, string connectionString, string taskAssembly,
        IReadOnlyDictionary<string, string>? tls = null)
    {
        var environment = NodeProcesses.WorkerEnvironment(name, seed, connectionString, taskAssembly);
        foreach (var (key, value) in tls ?? new Dictionary<string, string>()) environment[key] = value;
        // As in this process (see the project file): optimized code from the first call, so the timed
        // run does not pay for the background recompilation the warm-up started.
        environment["DOTNET_TieredCompilation"] = "0";
        return environment;
    }

    private static List<string> NotableLines(ChildProcess process) =>
        process.Lines.Where(line => !RoutineLines.Any(routine => line.StartsWith(routine, StringComparison.Ordinal))).ToList();

    private sealed class Worker(ChildProcess process)
    {
        public ChildProcess Process { get; } = process;

        public Uri? HttpApi { get; set; }
    }
}
