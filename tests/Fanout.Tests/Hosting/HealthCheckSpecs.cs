using Akka.Actor;
using Fanout.Hosting;
using Fanout.Runtime.Execution;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace Fanout.Tests.Hosting;

/// <summary>
/// <c>AddFanoutHealthChecks</c> on a worker app (<c>AddFanoutWorker</c>) in a cluster of two on a PostgreSQL journal:
/// Healthy with its figures, Degraded while its executor drains (it only drains when another worker can take its work),
/// Unhealthy when its journal's database is gone.
/// </summary>
public sealed class HealthCheckSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_checks_report_healthy_figures_then_a_draining_executor_as_degraded_and_a_dropped_journal_database_as_unhealthy()
    {
        var db = await PostgresDatabase.CreateAsync();
        await using var dropDatabase = db;
        await using var seed = await FanoutRuntime.StartEmbeddedAsync(
            new FanoutRuntimeOptions { Journal = FanoutJournal.PostgreSql, ConnectionString = db.ConnectionString, HttpPort = null });
        await using var app = await HostedApp.StartAsync(new Dictionary<string, string?>
        {
            ["Fanout:Seeds:0"] = Akka.Cluster.Cluster.Get(seed.ActorSystem).SelfAddress.ToString(),
            ["Fanout:Journal"] = "PostgreSql",
            ["Fanout:ConnectionString"] = db.ConnectionString,
            ["Fanout:HttpPort"] = "",
            ["Fanout:ActionSlots"] = "6",
        }, (config, services) =>
        {
            services.AddFanoutWorker(config.GetSection("Fanout"));
            services.AddHealthChecks().AddFanoutHealthChecks("ready");
        });
        var health = app.Services.GetRequiredService<HealthCheckService>();
        var runtime = app.Services.GetRequiredService<FanoutRuntime>();

        var report = await Eventually.Value(() => health.CheckHealthAsync(), r => r.Status == HealthStatus.Healthy, Within,
            "every Fanout check healthy once the runtime is up");
        Print(report);
        Assert.Equal(["fanout-executor", "fanout-journal", "fanout-membership"], report.Entries.Keys.Order());
        Assert.All(report.Entries.Values, entry => Assert.Contains("ready", entry.Tags));
        var executor = report.Entries[FanoutHealthChecksBuilderExtensions.ExecutorCheck];
        Assert.Equal(6, executor.Data["slots"]);
        Assert.Equal(0, executor.Data["busy"]);
        Assert.Equal(false, executor.Data["draining"]);
        Assert.Equal(2, report.Entries[FanoutHealthChecksBuilderExtensions.MembershipCheck].Data["members"]);

        // The executor drains, as it does when its node leaves: it takes no new work (the seed would take it).
        runtime.ActorSystem.ActorSelection("/user/fanout-executor").Tell(new ActionExecutor.Drain(TimeSpan.FromSeconds(1)));
        report = await Eventually.Value(() => health.CheckHealthAsync(),
            r => r.Entries[FanoutHealthChecksBuilderExtensions.ExecutorCheck].Status == HealthStatus.Degraded, Within, "fanout-executor degraded while draining");
        Print(report);
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("draining", report.Entries[FanoutHealthChecksBuilderExtensions.ExecutorCheck].Description);
        Assert.Equal(true, report.Entries[FanoutHealthChecksBuilderExtensions.ExecutorCheck].Data["draining"]);
        Assert.Equal(HealthStatus.Healthy, report.Entries[FanoutHealthChecksBuilderExtensions.JournalCheck].Status);

        // The journal's database is dropped under the running node.
        await db.DisposeAsync();
        report = await Eventually.Value(() => health.CheckHealthAsync(),
            r => r.Entries[FanoutHealthChecksBuilderExtensions.JournalCheck].Status == HealthStatus.Unhealthy, Within, "fanout-journal unhealthy without its database");
        Print(report);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("the journal database did not answer", report.Entries[FanoutHealthChecksBuilderExtensions.JournalCheck].Description);
        Assert.Equal(HealthStatus.Healthy, report.Entries[FanoutHealthChecksBuilderExtensions.MembershipCheck].Status);
    }

    [Fact]
    public async Task The_membership_check_is_degraded_naming_a_member_the_node_cannot_hear_and_healthy_once_the_cluster_removed_it()
    {
        using var folder = new TempDirectory();
        await using var app = await HostedApp.StartAsync(new Dictionary<string, string?>
        {
            ["Fanout:DatabasePath"] = folder.File("fanout.db"),
            ["Fanout:HttpPort"] = "",
            // The client app's tasks, so its run starts here and the app stays connected waiting for it.
            ["Fanout:TaskAssemblies:0"] = "Fanout.ClusterApp",
        }, (config, services) =>
        {
            services.AddFanoutEmbedded(config.GetSection("Fanout"));
            services.AddHealthChecks().AddFanoutHealthChecks();
        });
        var health = app.Services.GetRequiredService<HealthCheckService>();
        var self = Akka.Cluster.Cluster.Get(app.Services.GetRequiredService<ActorSystem>()).SelfAddress.ToString();

        using var clientApp = HostProcess.Start(Cluster.Support.RepoPaths.TestProgram("Fanout.ClusterApp"), new Dictionary<string, string>(), self, "fan", "1", "60000");
        try
        {
            var client = (await clientApp.WaitForLineAsync("connected as ", Within))["connected as ".Length..].Trim();
            await clientApp.WaitForLineAsync("run ", Within);
            var report = await Eventually.Value(() => health.CheckHealthAsync(), r => r.Status == HealthStatus.Healthy, Within,
                "healthy with the client app up");
            Assert.Equal(2, report.Entries[FanoutHealthChecksBuilderExtensions.MembershipCheck].Data["members"]);

            // The client app stalls (a paused VM, a debugger): this node stops hearing from it.
            clientApp.Freeze();
            report = await Eventually.Value(() => health.CheckHealthAsync(),
                r => r.Entries[FanoutHealthChecksBuilderExtensions.MembershipCheck].Status == HealthStatus.Degraded, Within,
                "fanout-membership degraded with the client app unreachable");
            Print(report);
            var membership = report.Entries[FanoutHealthChecksBuilderExtensions.MembershipCheck];
            Assert.Contains(client, membership.Description);
            Assert.Equal([client], (IEnumerable<string>)membership.Data["unreachable"]);

            // The split-brain resolver downs the stalled client: this node is whole again.
            report = await Eventually.Value(() => health.CheckHealthAsync(),
                r => r.Entries[FanoutHealthChecksBuilderExtensions.MembershipCheck] is { Status: HealthStatus.Healthy } m && (int)m.Data["members"] == 1,
                Within, "fanout-membership healthy once the cluster removed the client app");
            Print(report);
        }
        finally
        {
            clientApp.Thaw();
        }
    }

    private void Print(HealthReport report)
    {
        foreach (var (name, entry) in report.Entries)
            output.WriteLine($"{name}: {entry.Status} - {entry.Description} [{string.Join(", ", entry.Data.Select(d => $"{d.Key}={d.Value}"))}]");
    }
}
