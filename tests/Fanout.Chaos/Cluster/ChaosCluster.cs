using Fanout.Benchmarks.Processes;

namespace Fanout.Chaos.Cluster;

/// <summary>
/// A lighthouse and worker processes (src/Fanout.Node) on loopback, journaling to one PostgreSQL
/// database and loading this assembly for the chaos tasks, whose workers the harness kills and starts
/// again. Every process's output is saved to the logs folder when it exits. Disposing it stops every
/// process (SIGTERM, then a kill), on every path.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(45);

    // A worker that fails to start is a finding (recorded in StartFailures), not the end of the session.
    private const int StartAttempts = 3;

    private readonly ChildProcess _lighthouse;
    private readonly string _connectionString;
    private readonly string _workingDirectory;
    private readonly string _logs;
    private readonly IReadOnlyDictionary<string, string> _extraEnvironment;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<ProcessLife> _lives = [];
    private bool _disposed;

    private ChaosCluster(ChildProcess lighthouse, string seed, string connectionString, string workingDirectory, string logs,
        IReadOnlyDictionary<string, string> extraEnvironment, int workers)
    {
        _lighthouse = lighthouse;
        Seed = seed;
        _connectionString = connectionString;
        _workingDirectory = workingDirectory;
        _logs = logs;
        _extraEnvironment = extraEnvironment;
        Workers = Enumerable.Range(1, workers).Select(i => new WorkerSlot($"worker-{i}")).ToList();
    }

    /// <summary>The lighthouse's address, the seed every member joins.</summary>
    public string Seed { get; }

    public IReadOnlyList<WorkerSlot> Workers { get; }

    /// <summary>Worker processes that exited before they were members: which, and their last lines.</summary>
    public List<string> StartFailures { get; } = [];

    /// <summary>Every worker process the session has had, in start order.</summary>
    public IReadOnlyList<ProcessLife> Lives
    {
        get
        {
            lock (_lives) return _lives.ToList();
        }
    }

    /// <summary>
    /// Starts the lighthouse, then the workers, and waits until each worker's executor directory lists
    /// them all. <paramref name="extraEnvironment"/> is laid over each worker's settings.
    /// </summary>
    public static async Task<ChaosCluster> StartAsync(string connectionString, int workers, string workingDirectory, string logs,
        IReadOnlyDictionary<string, string> extraEnvironment, CancellationToken cancellationToken)
    {
        var lighthouse = NodeProcesses.StartLighthouse(workingDirectory, out var seed);
        var cluster = new ChaosCluster(lighthouse, seed, connectionString, workingDirectory, logs, extraEnvironment, workers);
        try
        {
            await lighthouse.Ready.WaitAsync(StartWithin, cancellationToken);
            // One at a time: nodes starting together on a new database queue on its table creation anyway.
            foreach (var slot in cluster.Workers) await cluster.StartWorkerAsync(slot, cancellationToken);
            await cluster.WaitForExecutorsAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a new process in <paramref name="slot"/> and waits until it is a member; one that exits
    /// first is recorded in <see cref="StartFailures"/> and replaced, up to three tries in all.
    /// </summary>
    public async Task StartWorkerAsync(WorkerSlot slot, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync(slot, cancellationToken);
                return;
            }
            catch (InvalidOperationException e) when (attempt < StartAttempts && slot.Process!.Exited.IsCompleted)
            {
                lock (StartFailures) StartFailures.Add($"{slot.IncarnationName} at {DateTime.Now:HH:mm:ss}: {e.Message.ReplaceLineEndings(" | ")}");
            }
        }
    }

    private async Task StartOnceAsync(WorkerSlot slot, CancellationToken cancellationToken)
    {
        slot.Incarnation++;
        slot.StopPlanned = false;
        var process = ChildProcess.Start(slot.IncarnationName, ProgramPaths.Node, _workingDirectory, WorkerEnvironment(slot.Name), NodeProcesses.WorkerReady);
        slot.Process = process;
        var life = new ProcessLife(slot.IncarnationName, process.Id, DateTimeOffset.UtcNow);
        lock (_lives) _lives.Add(life);
        slot.Life = life;
        _ = process.Exited.ContinueWith(_ =>
        {
            life.ExitedAt = DateTimeOffset.UtcNow;
            life.EndedBy ??= "unplanned exit";
            SaveLog(process, life.Name);
        }, TaskScheduler.Default);
        await process.Ready.WaitAsync(StartWithin, cancellationToken);
    }

    /// <summary>kill -9: the process ends at once, with no chance to hand anything over.</summary>
    public async Task KillAsync(WorkerSlot slot)
    {
        var process = slot.Process ?? throw new InvalidOperationException($"{slot.Name} has no process");
        slot.StopPlanned = true;
        slot.Life!.EndedBy ??= "kill -9";
        try
        {
            System.Diagnostics.Process.GetProcessById(process.Id).Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // it had exited already
        }
        await process.Exited;
    }

    /// <summary>SIGTERM, as a rolling restart sends it: the worker drains, hands off and leaves. False if it had to be killed.</summary>
    public async Task<bool> TerminateAsync(WorkerSlot slot)
    {
        var process = slot.Process ?? throw new InvalidOperationException($"{slot.Name} has no process");
        slot.StopPlanned = true;
        slot.Life!.EndedBy ??= "SIGTERM";
        return await process.StopAsync(StopWithin);
    }

    /// <summary>Stops the workers one by one, then the lighthouse; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var slot in Workers.Where(s => s.Process is not null).Reverse())
        {
            slot.StopPlanned = true;
            slot.Life!.EndedBy ??= "final stop";
            await slot.Process!.DisposeAsync();
        }
        await _lighthouse.DisposeAsync();
        SaveLog(_lighthouse, "lighthouse");
        _http.Dispose();
    }

    private async Task WaitForExecutorsAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartWithin;
        foreach (var slot in Workers)
        {
            var api = NodeProcesses.HttpApiOf(await slot.Process!.Ready);
            while (await NodeProcesses.CountExecutorsAsync(_http, api, cancellationToken) != Workers.Count)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"{slot.Name} did not list {Workers.Count} executors within {StartWithin.TotalSeconds:F0} s");
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    private Dictionary<string, string> WorkerEnvironment(string name)
    {
        var environment = NodeProcesses.WorkerEnvironment(name, Seed, _connectionString, typeof(ChaosCluster).Assembly.Location);
        foreach (var (key, value) in _extraEnvironment) environment[key] = value;
        return environment;
    }

    private void SaveLog(ChildProcess process, string name)
    {
        try
        {
            File.WriteAllLines(Path.Combine(_logs, $"{name}.log"), process.Lines);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"warning: could not save {name}'s output: {e.Message}");
        }
    }
}
