using Akka.Actor;
using Fanout.Hosting;
using Fanout.Tests.RunsIndex;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Tests.Hosting;

/// <summary><c>AddFanoutEmbedded</c> in a real generic host: the app injects <see cref="IFanoutClient"/> and runs tasks with it.</summary>
public sealed class EmbeddedHostingSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_app_with_AddFanoutEmbedded_runs_a_fan_out_through_the_injected_client_on_the_actor_system_Akka_Hosting_built()
    {
        using var folder = new TempDirectory();
        var databasePath = folder.File("fanout.db");
        var settings = new Dictionary<string, string?>
        {
            ["Fanout:DatabasePath"] = databasePath,
            ["Fanout:HttpPort"] = "", // no HTTP API
            ["Fanout:ActionSlots"] = "7",
        };
        await using var app = await HostedApp.StartAsync(settings, (config, services) => services.AddFanoutEmbedded(config.GetSection("Fanout")));

        var client = app.Services.GetRequiredService<IFanoutClient>();
        var runtime = app.Services.GetRequiredService<FanoutRuntime>();
        Assert.Same(app.Services.GetRequiredService<ActorSystem>(), runtime.ActorSystem);
        Assert.Null(runtime.BaseUrl); // Fanout:HttpPort "" is null: the API is off

        var run = await client.RunAsync(HostingTasks.SumOfSquares, 10);
        Assert.Equal(385, await run.WaitAsync().Within(Within, "the embedded run of sum_of_squares(10)"));
        Assert.Equal(385, await runtime.GetRun<int>(run.Id).WaitAsync().Within(Within, "the same run reached by id on the runtime"));

        var listed = await Eventually.Value(
            () => client.ListRunsAsync(new RunListQuery { TaskName = HostingTasks.SumOfSquares.Name }),
            page => page.Runs.Any(r => r.RunId == run.Id && r.Status == RunStatus.Succeeded), Within, "the run listed as succeeded");
        Assert.Equal(11, listed.Runs.Single(r => r.RunId == run.Id).TotalActions); // the root and its ten squares

        // The journal is where the configuration said, under Fanout's own plugin ids.
        var rows = await new JournalRows(new FanoutRuntimeOptions { DatabasePath = databasePath }).PerPersistenceIdAsync();
        Assert.Contains($"journal:run-{run.Id}", rows.Keys);
    }

    [Fact]
    public async Task The_embedded_runtime_serves_its_HTTP_API_while_the_host_runs_and_stops_it_with_the_host()
    {
        using var folder = new TempDirectory();
        var app = await HostedApp.StartAsync(new Dictionary<string, string?> { ["Fanout:DatabasePath"] = folder.File("fanout.db") },
            (config, services) => services.AddFanoutEmbedded(config.GetSection("Fanout")));
        Uri baseUrl;
        await using (app)
        {
            var runtime = app.Services.GetRequiredService<FanoutRuntime>();
            baseUrl = runtime.BaseUrl ?? throw new Xunit.Sdk.XunitException("the embedded runtime has no HTTP API (BaseUrl is null)");
            var run = await runtime.RunAsync(HostingTasks.SumOfSquares, 3);
            Assert.Equal(new Uri(baseUrl, $"runs/{run.Id}"), run.Url);
            using var http = new HttpClient();
            var live = await http.GetAsync(new Uri(baseUrl, "health/live"));
            Assert.True(live.IsSuccessStatusCode, $"GET /health/live answered {(int)live.StatusCode}");
        }

        // The host stopped its actor system, and the API with it.
        using var after = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => after.GetAsync(new Uri(baseUrl, "health/live")));
    }

    [Fact]
    public async Task A_hosted_service_that_takes_IFanoutClient_in_its_constructor_starts_runs_once_the_host_has_started()
    {
        using var folder = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Fanout:DatabasePath"] = folder.File("fanout.db"), ["Fanout:HttpPort"] = "" };
        // The generic host builds every hosted service before it starts any, Fanout's included.
        await using var app = await HostedApp.StartAsync(settings, (config, services) =>
        {
            services.AddFanoutEmbedded(config.GetSection("Fanout"));
            services.AddSingleton<SquaresOnStart>();
            services.AddHostedService(sp => sp.GetRequiredService<SquaresOnStart>());
        });

        var worker = app.Services.GetRequiredService<SquaresOnStart>();
        Assert.Equal(204, await worker.Result.Within(Within, "the hosted service's run of sum_of_squares(8)"));
    }

    /// <summary>An app's background service: it gets the client when the host builds it and starts a run when it runs.</summary>
    private sealed class SquaresOnStart(IFanoutClient fanout) : Microsoft.Extensions.Hosting.BackgroundService
    {
        private readonly TaskCompletionSource<int> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<int> Result => _result.Task;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                var run = await fanout.RunAsync(HostingTasks.SumOfSquares, 8, stoppingToken);
                _result.SetResult(await run.WaitAsync(stoppingToken));
            }
            catch (Exception e)
            {
                _result.SetException(e);
            }
        }
    }
}
