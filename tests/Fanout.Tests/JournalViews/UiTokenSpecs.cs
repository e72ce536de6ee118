using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fanout.Tests.Cli;
using Fanout.Tests.Support;

namespace Fanout.Tests.JournalViews;

/// <summary>
/// <c>fanout ui --token</c>, in process: the viewer runs the node's security pipeline, so a visitor without the token is
/// refused (JSON) or sent to the login page (a browser), and Ctrl+C (the invocation's cancellation) ends it with exit 0.
/// </summary>
public sealed class UiTokenSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(FanoutJournal.Sqlite)]
    [InlineData(FanoutJournal.PostgreSql)]
    public async Task With_a_token_every_visitor_must_give_it_and_Ctrl_C_stops_serving(FanoutJournal kind)
    {
        await using var journal = await TestJournal.CreateAsync(kind);
        var options = journal.Options();
        var live = await JournalRunViewsSpecs.LiveAnswers.RecordAsync(options, JournalViewTasks.Grouped, 5);
        const string Token = "journal-viewer-token-0123456789";
        string[] where = kind == FanoutJournal.Sqlite ? ["--db", options.DatabasePath] : ["--postgres", options.ConnectionString!];

        var output = new LiveWriter();
        using var stop = new CancellationTokenSource();
        var serving = CliInvocation.RunAsync(["ui", .. where, "--port", "0", "--token", Token], new Dictionary<string, string>(), output, stop.Token);
        await output.WaitForAsync(" - journal ", Within, "fanout ui to say where it serves");
        var line = output.Text.Trim();
        var pages = new Uri(line["Fanout UI (read-only) at ".Length..line.IndexOf(" - journal ", StringComparison.Ordinal)]);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(pages, "/") };

        using (var anonymous = await http.GetAsync($"runs/{live.RunId}"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var browser = new HttpRequestMessage(HttpMethod.Get, $"ui/runs/{live.RunId}"))
        {
            browser.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            using var toLogin = await http.SendAsync(browser);
            Assert.Equal(HttpStatusCode.SeeOther, toLogin.StatusCode);
            Assert.StartsWith("/ui/login", toLogin.Headers.Location?.OriginalString);
        }
        using (var withToken = new HttpRequestMessage(HttpMethod.Get, $"runs/{live.RunId}"))
        {
            withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var answer = await http.SendAsync(withToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(live.Summary, JournalRunViewsSpecs.Serialize(
                await answer.Content.ReadFromJsonAsync<RunSummary>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
                {
                    Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
                })));
        }

        stop.Cancel();
        var result = await serving.WaitAsync(Within);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Err}");
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("runs"));
    }
}
