using Fanout.Benchmarks.Measurement;
using Fanout.Benchmarks.Postgres;
using Fanout.Benchmarks.Processes;
using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// The WhenAll fan-out across processes: a lighthouse and two workers on loopback, journaling to a fresh
/// PostgreSQL database, and this process as a client member that starts the run and waits for its result.
/// Timed from <c>RunAsync</c> to the result reaching the client, after an untimed warm-up run. With
/// <paramref name="tls"/>, every member (the client too) talks mutual TLS on remoting: the cost of securing it.
/// </summary>
internal sealed class ClusterScenario(bool tls = false) : IScenario
{
    public const int Workers = 2;

    private const double Mb = 1024 * 1024;

    public string Name => tls ? "cluster-postgres-tls" : "cluster-postgres";

    public string Description =>
        $"the WhenAll fan-out from a client member on a lighthouse and {Workers} worker processes on loopback; PostgreSQL journal" +
        (tls ? "; mutual TLS between all members" : "");

    public bool NeedsPostgres => true;

    public async Task<ScenarioResult> RunAsync(int n, TempFolder temp, CancellationToken cancellationToken)
    {
        // Disposed in reverse: the processes stop before the database they journal to is dropped.
        await using var database = await BenchDatabase.CreateAsync(Name, n, cancellationToken);
        var certificates = tls ? await BenchCertificates.MakeAsync(Path.Combine(temp.Path, "certs"), cancellationToken) : null;
        await using var cluster = await BenchCluster.StartAsync(database.ConnectionString, Workers, temp.Path, cancellationToken, certificates?.Environment);

        Timing timing;
        JournalSize before;
        long tablesBefore;
        long? rssBefore, rssPeak;
        List<long?> peaks;
        string cpu;
        var client = await FanoutClient.ConnectAsync(new FanoutClientOptions { Seeds = { cluster.Seed }, RemoteTls = certificates?.Options }, cancellationToken);
        try
        {
            await cluster.WaitForExecutorsAsync(Workers, cancellationToken);
            cluster.Mark("warm-up");
            await RunOnceAsync(cluster, client, WarmUp.Actions, cancellationToken);

            (before, tablesBefore) = (PostgresJournalStats.Read(database.ConnectionString), PostgresJournalStats.TableBytes(database.ConnectionString));
            rssBefore = cluster.Workers.Max(w => w.RssBytes());
            var cpuUse = ClusterCpu.Start(cluster);
            cluster.Mark("timed run");
            timing = await TimedSection.RunAsync(() => RunOnceAsync(cluster, client, n, cancellationToken));
            cluster.Mark("done");
            cpu = cpuUse.Describe(timing.Wall);
            // VmHWM covers each worker's whole life, start and warm-up included: the timed run is the largest part of it.
            peaks = cluster.Workers.Select(w => w.PeakRssBytes()).ToList();
            rssPeak = peaks.Max();
        }
        finally
        {
            await client.DisposeAsync();
        }

        // Read once the workers have left, so the run's last writes are in the database.
        await cluster.StopAsync();
        var written = PostgresJournalStats.Read(database.ConnectionString) - before;
        var tablesGrowth = PostgresJournalStats.TableBytes(database.ConnectionString) - tablesBefore;

        var note = $"latency n/a: the parent runs in a worker, out of reach of this process's recorder ({BenchTasks.WhenAllUnrecorded.Name} records none); " +
                   $"RSS columns: the larger worker's (VmRSS before the timed run; VmHWM, its peak over its life); workers' peaks " +
                   $"{string.Join(" / ", peaks.Select(p => p is { } bytes ? $"{bytes / Mb:F0}" : "n/a"))} MB, this process's (the client) " +
                   $"{timing.PeakRssBytes / Mb:F0} MB; the journal's tables grew by {(double)tablesGrowth / n:F0} B/action on disk; {cpu}";
        return ScenarioResult.FromRemote(Name, n, timing.Wall, rssBefore, rssPeak, written, note);
    }

    private static async Task RunOnceAsync(BenchCluster cluster, FanoutClient client, int n, CancellationToken cancellationToken)
    {
        var run = await client.RunAsync(BenchTasks.WhenAllUnrecorded, n, cancellationToken);
        var sum = await cluster.WhileUpAsync(run.WaitAsync(cancellationToken));
        if (sum != BenchTasks.ExpectedSum(n))
            throw new InvalidOperationException($"{BenchTasks.WhenAllUnrecorded.Name} run {run.Id} over {n} children returned {sum}, not {BenchTasks.ExpectedSum(n)}");
    }
}
