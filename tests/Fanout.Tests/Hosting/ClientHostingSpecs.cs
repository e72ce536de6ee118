using Fanout.Hosting;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Tests.Hosting;

/// <summary>
/// A cluster on loopback: a seed runtime (<see cref="FanoutRuntime.StartEmbeddedAsync"/>), a worker app
/// (<c>AddFanoutWorker</c>) and a client app (<c>AddFanoutClient</c>) on one PostgreSQL journal. The client app starts,
/// reads, lists and cancels runs through its injected <see cref="IFanoutClient"/>.
/// </summary>
public sealed class ClientHostingSpecs(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_client_app_joins_workers_and_starts_gets_lists_and_cancels_runs_through_the_injected_client()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        // Not the single-node specs' options: their serialize-messages check trips on Distributed Data's local messages in a cluster.
        var seedOptions = new FanoutRuntimeOptions { Journal = FanoutJournal.PostgreSql, ConnectionString = db.ConnectionString, HttpPort = null };
        await using var seed = await FanoutRuntime.StartEmbeddedAsync(seedOptions);
        var seedAddress = Akka.Cluster.Cluster.Get(seed.ActorSystem).SelfAddress.ToString();

        await using var worker = await HostedApp.StartAsync(new Dictionary<string, string?>
        {
            ["Fanout:Seeds:0"] = seedAddress,
            ["Fanout:Journal"] = "PostgreSql",
            ["Fanout:ConnectionString"] = db.ConnectionString,
            ["Fanout:HttpPort"] = "",
            ["Fanout:Roles:0"] = "hosted-worker",
        }, (config, services) => services.AddFanoutWorker(config.GetSection("Fanout")));
        await using var clientApp = await HostedApp.StartAsync(new Dictionary<string, string?>
        {
            ["Fanout:Seeds:0"] = seedAddress,
        }, (config, services) =>
        {
            services.AddFanoutClient(config.GetSection("Fanout"));
            services.AddHealthChecks().AddFanoutHealthChecks();
        });

        try
        {
            await ClientWorksAsync(seed, clientApp);
        }
        catch
        {
            output.WriteLine($"worker app's log:\n{worker.Log.Text}\n\nclient app's log:\n{clientApp.Log.Text}");
            throw;
        }
    }

    private static async Task ClientWorksAsync(FanoutRuntime seed, HostedApp clientApp)
    {
        var client = clientApp.Services.GetRequiredService<IFanoutClient>();
        // The app's client member, started with the host (the injected interface reaches it lazily).
        Assert.Contains("fanout-client", Akka.Cluster.Cluster.Get(clientApp.Services.GetRequiredService<FanoutClient>().ActorSystem).SelfRoles);
        // The worker the app started is a member with its configured role, seen from the seed.
        await Eventually.True(() => Akka.Cluster.Cluster.Get(seed.ActorSystem).State.Members
            .Count(m => m.Status == Akka.Cluster.MemberStatus.Up && m.HasRole("hosted-worker")) == 1, Within, "the hosted worker to be up in the cluster");

        var run = await client.RunAsync(HostingTasks.SumOfSquares, 20);
        Assert.Equal(2870, await run.WaitAsync().Within(Within, "the client's run of sum_of_squares(20)"));
        Assert.Equal(2870, await client.GetRun<int>(run.Id).WaitAsync().Within(Within, "the run reached by id"));

        var cancelled = await client.RunAsync(HostingTasks.WaitsForCancel, "until-cancelled");
        Assert.Equal(RunStatus.Cancelled, await client.CancelRunAsync(cancelled.Id, "the spec cancels it").Within(Within, "the cancellation"));
        Assert.Equal(RunStatus.Cancelled, await client.GetRun<string>(cancelled.Id).GetStatusAsync());

        // The client lists through a worker: it has no database of its own.
        var succeeded = await Eventually.Value(() => client.ListRunsAsync(new RunListQuery { Status = RunStatus.Succeeded }),
            page => page.Runs.Any(r => r.RunId == run.Id), Within, "the succeeded run in the client's list");
        Assert.Equal(HostingTasks.SumOfSquares.Name, succeeded.Runs.Single(r => r.RunId == run.Id).TaskName);
        var cancelledPage = await Eventually.Value(() => client.ListRunsAsync(new RunListQuery { Status = RunStatus.Cancelled }),
            page => page.Runs.Any(r => r.RunId == cancelled.Id), Within, "the cancelled run in the client's list");
        Assert.DoesNotContain(cancelledPage.Runs, r => r.RunId == run.Id);
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => client.ListRunsAsync(new RunListQuery { Cursor = "not-a-cursor" }));
        Assert.Contains("Cursor 'not-a-cursor'", bad.Message);

        // A client has only the membership check: no journal, no executor.
        var report = await clientApp.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal([FanoutHealthChecksBuilderExtensions.MembershipCheck], report.Entries.Keys);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("Up", report.Entries[FanoutHealthChecksBuilderExtensions.MembershipCheck].Data["status"]);
    }
}
