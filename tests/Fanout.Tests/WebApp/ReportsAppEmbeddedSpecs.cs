using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Tests.WebApp;

/// <summary>
/// The sample web app with no "Fanout" section, as a fresh copy of it runs: Fanout embedded in the app, a cluster of one
/// with its journal under the app's content root, serving the same routes and health checks.
/// </summary>
public sealed class ReportsAppEmbeddedSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Without_a_Fanout_section_the_app_runs_reports_on_an_embedded_runtime()
    {
        using var root = new TempDirectory();
        await using var app = new ReportsAppFactory { ContentRoot = root.Path };
        using var http = app.CreateClient();

        var started = await http.PostAsJsonAsync("/reports", new { items = 25 });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        var state = await Eventually.Value(() => http.GetFromJsonAsync<JsonElement>($"/reports/{id}"),
            s => s.GetProperty("status").GetString() != "running", Within, $"report {id} to end");

        Assert.Equal("succeeded", state.GetProperty("status").GetString());
        Assert.Equal(25, state.GetProperty("report").GetProperty("lines").GetInt32());
        Assert.Equal(125L * (25 * 26 / 2), state.GetProperty("report").GetProperty("totalCents").GetInt64());
        // run.Url is the run in the embedded runtime's own HTTP API (Fanout.Http), on loopback.
        using var api = new HttpClient();
        var summary = await api.GetFromJsonAsync<JsonElement>(body.GetProperty("url").GetString());
        Assert.Equal(id, summary.GetProperty("runId").GetString());
        Assert.Equal(26, summary.GetProperty("totalActions").GetInt32());
        Assert.True(File.Exists(Path.Combine(root.Path, "fanout-data", "reports.db")), "the journal is not under the app's content root");
        // A runtime of its own: the worker's checks too, all healthy.
        var checks = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(["fanout-executor", "fanout-journal", "fanout-membership"], checks.Entries.Keys.Order());
        Assert.All(checks.Entries, e => Assert.True(e.Value.Status == HealthStatus.Healthy, $"{e.Key}: {e.Value.Status} {e.Value.Description}"));
        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
    }
}
