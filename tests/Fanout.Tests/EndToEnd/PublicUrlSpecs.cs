using System.Net;
using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// A node behind a proxy or an ingress hands out URLs people can open: with HttpPublicUrl, BaseUrl, run.Url and the
/// url a POST /runs answers start with it, while the API still listens where it was told.
/// </summary>
public sealed class PublicUrlSpecs
{
    [Fact]
    public async Task Run_urls_start_with_the_public_url_and_keep_its_path()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        options.HttpPublicUrl = new Uri("https://fanout.example.com/fanout");
        await using var runtime = await FanoutRuntime.StartEmbeddedAsync(options);

        Assert.Equal("https://fanout.example.com/fanout/", runtime.BaseUrl!.ToString());
        var run = await runtime.RunAsync(PatternTasks.Square, 3);
        Assert.Equal($"https://fanout.example.com/fanout/runs/{run.Id}", run.Url!.ToString());
        Assert.Equal(9, await run.EndsAsync("a square at a public URL"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var started = await http.PostAsync(new Uri(runtime.ListeningUrl!, "runs"),
            new StringContent($"{{\"task\": \"{PatternTasks.Square.Name}\", \"input\": 4}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        using var body = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        var runId = body.RootElement.GetProperty("runId").GetString();
        Assert.Equal($"https://fanout.example.com/fanout/runs/{runId}", body.RootElement.GetProperty("url").GetString());
        Assert.Equal($"https://fanout.example.com/fanout/runs/{runId}", started.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("ftp://fanout.example.com/")]
    [InlineData("https://fanout.example.com/?a=1")]
    [InlineData("/fanout")]
    public async Task A_public_url_that_is_not_an_absolute_http_url_is_refused_naming_the_setting(string url)
    {
        var options = new FanoutRuntimeOptions { HttpPublicUrl = new Uri(url, UriKind.RelativeOrAbsolute) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FanoutRuntime.StartEmbeddedAsync(options));
        Assert.Equal(nameof(FanoutRuntimeOptions.HttpPublicUrl), error.ParamName);
        Assert.Contains($"HttpPublicUrl '{url}'", error.Message);
    }
}
