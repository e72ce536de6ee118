using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Fanout.Hosting;
using Fanout.Tests.RunsIndex;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Hosting;

/// <summary>
/// An app that composes its own actor system with Akka.Hosting adds Fanout to it with <c>WithFanoutWorker</c>: one actor
/// system, the app's remoting and cluster settings win, the app's actors and persistence go on as before, and Fanout's
/// runs journal to Fanout's own database.
/// </summary>
public sealed class SharedActorSystemSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    // The app's own persistence: the in-memory journal as its default.
    private const string AppPersistence = """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private sealed class CounterKey;

    [Fact]
    public async Task An_app_with_its_own_AddAkka_and_WithFanoutWorker_has_one_actor_system_where_its_actor_and_Fanout_both_work()
    {
        using var folder = new TempDirectory();
        var fanout = new FanoutRuntimeOptions { SystemName = "orders-app", DatabasePath = folder.File("fanout.db"), HttpPort = null };
        await using var app = await HostedApp.StartAsync(new Dictionary<string, string?>(), (_, services) =>
        {
            services.AddAkka("orders-app", builder => builder
                // The app's remoting: "localhost", where Fanout's own default is 127.0.0.1.
                .WithRemoting(new RemoteOptions { HostName = "localhost", Port = 0 })
                .WithClustering(new ClusterOptions { Roles = ["orders", "fanout-worker", "fanout-core"] })
                .AddHocon(AppPersistence, HoconAddMode.Prepend)
                .WithActors((system, registry) => registry.Register<CounterKey>(system.ActorOf(AppCounter.Props(), "app-counter")))
                .WithFanoutWorker(fanout));
            services.AddFanoutFromAkka();
        });

        var system = app.Services.GetRequiredService<ActorSystem>();
        var runtime = app.Services.GetRequiredService<FanoutRuntime>();
        Assert.Same(system, runtime.ActorSystem); // one actor system: the one Akka.Hosting built

        var cluster = Akka.Cluster.Cluster.Get(system);
        Assert.Equal("localhost", cluster.SelfAddress.Host); // the app's remoting settings won
        Assert.Contains("orders", cluster.SelfRoles);

        // The app's actor, from the app's registry, next to Fanout running a fan-out on the same system.
        var counter = app.Services.GetRequiredService<IRequiredActor<CounterKey>>().ActorRef;
        var run = await runtime.RunAsync(HostingTasks.SumOfSquares, 5);
        Assert.Equal(3, await counter.Ask<int>(3, Within));
        Assert.Equal(55, await run.WaitAsync().Within(Within, "the run of sum_of_squares(5) on the app's actor system"));
        // The injected client reaches the same runtime.
        Assert.Equal(55, await app.Services.GetRequiredService<IFanoutClient>().GetRun<int>(run.Id).WaitAsync()
            .Within(Within, "the same run through the injected IFanoutClient"));
        Assert.Equal(7, await counter.Ask<int>(4, Within));
        Assert.Equal("/user/app-counter", counter.Path.ToStringWithoutAddress());
        Assert.Equal("orders-app", counter.Path.Address.System);

        // Fanout journaled its run to its own SQLite file; the app's events went to the app's journal, not there.
        var rows = await new JournalRows(new FanoutRuntimeOptions { DatabasePath = folder.File("fanout.db") }).PerPersistenceIdAsync();
        Assert.Contains($"journal:run-{run.Id}", rows.Keys);
        Assert.DoesNotContain("journal:app-counter", rows.Keys);
        Assert.Equal("akka.persistence.journal.inmem", system.Settings.Config.GetString("akka.persistence.journal.plugin"));
    }

    [Fact]
    public async Task An_app_whose_cluster_roles_leave_out_Fanouts_fails_to_start_naming_the_roles_to_add()
    {
        using var folder = new TempDirectory();
        var fanout = new FanoutRuntimeOptions { SystemName = "orders-app", DatabasePath = folder.File("fanout.db"), HttpPort = null };
        var app = HostedApp.Build(new Dictionary<string, string?>(), (_, services) =>
        {
            services.AddAkka("orders-app", builder => builder
                .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0 })
                .WithClustering(new ClusterOptions { Roles = ["orders"] })
                .WithFanoutWorker(fanout));
            services.AddFanoutFromAkka();
        });
        await using (app)
        {
            var error = await Assert.ThrowsAsync<FanoutException>(() => app.Host.StartAsync());
            Assert.Contains("lack Fanout's [fanout-worker, fanout-core]", error.Message);
            Assert.Contains("add \"fanout-worker\" and \"fanout-core\"", error.Message);
        }
    }
}
