using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace Fanout.Tests.WebApp;

/// <summary>
/// The sample web app as a user runs it: a client member of a cluster of real worker processes, configured by its
/// appsettings.json "Fanout" section, starting reports through the injected IFanoutClient and reporting Fanout's health.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReportsAppSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);
    private static readonly HttpClient WorkerHttp = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_report_posted_to_the_app_runs_on_the_workers_and_the_app_reads_its_result_and_health()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await ReportsCluster.StartAsync(db, output);
        var dashboard = cluster.Worker("worker-1").HttpApi!;
        await using var app = new ReportsAppFactory(("Fanout:Seeds:0", cluster.Seed), ("Fanout:DashboardUrl", dashboard.ToString()));
        using var http = app.CreateClient();

        var started = await http.PostAsJsonAsync("/reports", new { items = 60 });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/reports/{id}", started.Headers.Location?.ToString());
        // run.Url is the run in a worker's HTTP API, the one the "Fanout" section's DashboardUrl names.
        var url = new Uri(body.GetProperty("url").GetString()!);
        Assert.Equal(new Uri(dashboard, $"runs/{id}"), url);

        var state = await Eventually.Value(() => http.GetFromJsonAsync<JsonElement>($"/reports/{id}"),
            s => s.GetProperty("status").GetString() != "running", Within, $"report {id} to end");
        Assert.Equal("succeeded", state.GetProperty("status").GetString());
        Assert.Equal(61, state.GetProperty("actions").GetInt32()); // the build and its 60 lines
        var report = state.GetProperty("report");
        Assert.Equal(60, report.GetProperty("lines").GetInt32());
        Assert.Equal(125L * (60 * 61 / 2), report.GetProperty("totalCents").GetInt64());

        // The run lives in the cluster: the worker behind run.Url answers for it, and its lines ran in their group.
        var summary = await WorkerHttp.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("succeeded", summary.GetProperty("status").GetString());
        var lines = await WorkerHttp.GetFromJsonAsync<JsonElement>(new Uri(dashboard, $"runs/{id}/actions?group=lines&status=succeeded&limit=1"));
        Assert.Equal(60, lines.GetProperty("total").GetInt32());

        // Bad input and unknown reports get answers that say so.
        var tooSmall = await http.PostAsJsonAsync("/reports", new { items = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, tooSmall.StatusCode);
        Assert.Contains("items must be from 1 to 100000 (got 0)", await tooSmall.Content.ReadAsStringAsync());
        var unknown = await http.GetAsync("/reports/rnosuchrun22");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("rnosuchrun22", await unknown.Content.ReadAsStringAsync());

        // Joined, the app is healthy; its checks are Fanout's.
        var health = await Eventually.Value(() => HealthAsync(http), h => h.Body == "Healthy", Within, "the app's /health to say Healthy");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        var checks = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Contains("fanout-membership", checks.Entries.Keys);

        // A worker gone without a word: the app's health stops saying Healthy.
        cluster.Kill("worker-2");
        var unwell = await Eventually.Value(() => HealthAsync(http), h => h.Body != "Healthy", Within,
            "the app's /health to stop saying Healthy once worker-2 is killed");
        output.WriteLine($"/health after worker-2 was killed: {(int)unwell.Status} {unwell.Body}");
        var after = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var membership = after.Entries["fanout-membership"];
        Assert.NotEqual(HealthStatus.Healthy, membership.Status);
        // Named by its host:port, whatever scheme the check writes before it.
        Assert.Contains(cluster.Worker("worker-2").Address.Split('@')[1], membership.Description);
    }

    private static async Task<(HttpStatusCode Status, string Body)> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
