using Fanout.Chaos.Checks;
using Fanout.Chaos.Cluster;
using Fanout.Chaos.Faults;
using Fanout.Chaos.Reporting;
using Fanout.Chaos.Runs;
using Fanout.Chaos.Tasks;

namespace Fanout.Chaos;

/// <summary>
/// One invocation from start to report: a fresh database, the cluster, the client, runs and faults for
/// the set minutes, runs left to finish, then the cluster stopped and everything checked. The cluster,
/// the client and the database go on every path out, an exception or Ctrl-C included.
/// </summary>
internal sealed class ChaosSession(ChaosSettings settings, string logs, Timeline timeline)
{
    public async Task<ChaosReport> RunAsync(CancellationToken interrupt)
    {
        var began = DateTimeOffset.UtcNow;
        var executions = Path.Combine(logs, "executions");
        Directory.CreateDirectory(executions);
        var rng = new Random(settings.Seed);
        var lossy = settings.Drop > 0 ? LossyTcpTransport.Hocon(settings.Drop, executions) : null;
        var environment = new Dictionary<string, string>
        {
            ["FANOUT_ACTION_SLOTS"] = $"{settings.Slots}",
            [ExecutionLog.FolderVariable] = executions,
        };
        if (lossy is not null) environment["FANOUT_AKKA_CONFIG"] = lossy;

        await using var database = await ChaosPostgres.CreateDatabaseAsync(ChaosPostgres.Server(out _)!, interrupt);
        timeline.Write($"database {database.Name}; logs in {logs}");
        ChaosCluster? cluster = null;
        FanoutClient? client = null;
        RunDriver driver;
        WorkerKiller killer;
        double faultSeconds;
        try
        {
            cluster = await ChaosCluster.StartAsync(database.ConnectionString, ChaosSettings.Workers, logs, logs, environment, interrupt);
            var options = new FanoutClientOptions { AkkaConfig = lossy };
            options.Seeds.Add(cluster.Seed);
            client = await FanoutClient.ConnectAsync(options, interrupt);
            timeline.Write($"cluster up in {(DateTimeOffset.UtcNow - began).TotalSeconds:F1} s; faults for {settings.Minutes} min");

            driver = new RunDriver(client, settings.RunsInFlight, new Random(rng.Next()), timeline);
            killer = new WorkerKiller(cluster, new Random(rng.Next()), timeline);
            using var faultsOver = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
            using var runsOver = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
            faultsOver.CancelAfter(TimeSpan.FromMinutes(settings.Minutes));
            var faultsBegan = DateTimeOffset.UtcNow;
            var watching = driver.WatchProgressAsync(runsOver.Token);
            var starting = driver.StartRunsAsync(faultsOver.Token, runsOver.Token);
            await killer.RunAsync(faultsOver.Token, interrupt);
            await starting;
            faultSeconds = (DateTimeOffset.UtcNow - faultsBegan).TotalSeconds;
            interrupt.ThrowIfCancellationRequested();

            timeline.Write($"faults over; runs still going get {settings.FinishWithinSeconds:F0} s to finish");
            using (var giveUp = CancellationTokenSource.CreateLinkedTokenSource(interrupt))
            {
                giveUp.CancelAfter(TimeSpan.FromSeconds(settings.FinishWithinSeconds));
                await driver.WaitForEndsAsync(giveUp.Token);
            }
            interrupt.ThrowIfCancellationRequested();
            await runsOver.CancelAsync();
            await watching;
            // Runs given up on are not finished: their stall runs to now.
            foreach (var run in driver.Runs) run.Tick(DateTimeOffset.UtcNow);
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
            if (cluster is not null) await cluster.DisposeAsync();
        }

        timeline.Write("cluster stopped; reading the journal and the execution log");
        var runIds = driver.Runs.Where(r => r.RunId is not null).Select(r => r.RunId!).ToList();
        var journal = await JournalAudit.ReadAsync(database.ConnectionString, runIds, CancellationToken.None);
        var findings = ExecutionAudit.Compare(driver.Runs, executions, cluster.Lives);
        var frames = DropTally.Read(executions);
        return ChaosReport.Build(settings, faultSeconds, (DateTimeOffset.UtcNow - began).TotalSeconds, driver.Runs, killer.Events,
            cluster.StartFailures, journal, findings, frames);
    }
}
