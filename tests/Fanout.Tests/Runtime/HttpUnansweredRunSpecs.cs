using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.TestKit.Xunit2;
using Fanout.Clustering;
using Fanout.Http;
using Fanout.Runtime;
using Fanout.Runtime.Index;
using Fanout.Tests.Support;
using Fanout.Tests.Actors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Tests.Runtime;

/// <summary>The HTTP API answers 503 with the reason when a run does not answer in time (its journal is down, say); a browser gets it as a page.</summary>
public sealed class HttpUnansweredRunSpecs() : TestKit(ActorSpecConfig.Hocon)
{
    [Fact]
    public async Task A_run_that_does_not_answer_is_a_503_naming_it()
    {
        var runs = CreateTestProbe(); // a run region that never answers
        var client = new RunClient(runs.Ref, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        var starter = new RunStarter(client, _ => null, 1024 * 1024, NullLogger.Instance);
        // The runs index knows the run (else the API answers 404 without asking it).
        using var folder = new TempDirectory();
        var file = Fanout.Runtime.Journals.SqliteJournal.Prepare(folder.File("index.db"));
        var index = new RunsIndexStore(new RunsIndexDatabase(file, file, isPostgres: false));
        await index.CreateAsync(CancellationToken.None);
        await index.UpsertAsync([new RunIndexEntry("r-silent", "env.main", RunStatus.Running, 1, null, 1,
            new Dictionary<ActionStatus, int>(), null, false, 1)], CancellationToken.None);
        var api = await RunApi.StartAsync(client, starter, index, new ClusterInspector(Sys, CreateTestProbe().Ref),
            new FanoutRuntimeOptions(), CancellationToken.None);
        try
        {
            using var http = new HttpClient { BaseAddress = api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            var response = await http.GetAsync("runs/r-silent");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
            Assert.Contains("Run r-silent did not report its summary within", error);

            // A browser opening the run's Url is shown the same as a page in the layout.
            using var page = new HttpRequestMessage(HttpMethod.Get, "runs/r-silent");
            page.Headers.TryAddWithoutValidation("Accept", Dashboard.PageClient.BrowserAccept);
            using var shown = await http.SendAsync(page);
            var html = await shown.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shown.StatusCode);
            Assert.Equal("text/html", shown.Content.Headers.ContentType?.MediaType);
            Assert.Contains("id=\"nav-runs\"", html);
            Assert.Matches("<p id=\"error-page\"[^>]*>Run r-silent did not report its summary within [^<]* Try again in a moment\\.</p>", html);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}
