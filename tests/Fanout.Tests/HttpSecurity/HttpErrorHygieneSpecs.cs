using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Actor;
using Fanout.Clustering;
using Fanout.Runtime.Index;
using Microsoft.Data.Sqlite;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// What a caller learns when the node fails inside: a reference to the node's log, never the exception, a path, a
/// connection string or a stack. The failures are real ones: an actor the API asks has died, the runs index's table
/// is gone. Readiness says what is wrong meanwhile. A browser is told the same on a page.
/// </summary>
public sealed partial class HttpErrorHygieneSpecs : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task An_unhandled_failure_is_a_500_with_only_a_reference_and_the_exception_is_logged_under_it()
    {
        await using var node = await SecuredRuntime.StartAsync(_ => { });
        // The executor directory dies: GET /cluster asks it and times out, which no route turns into an answer.
        var directory = await node.Runtime.ActorSystem.ActorSelection($"/user/{ExecutorDirectory.Name}").ResolveOne(TimeSpan.FromSeconds(10));
        Assert.True(await directory.GracefulStop(TimeSpan.FromSeconds(10)), "the executor directory did not stop");

        using var response = await _http.GetAsync(new Uri(node.Url, "cluster"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
        var reference = InternalError().Match(error);
        Assert.True(reference.Success, $"the error '{error}' is not just a reference");
        AssertHoldsNothingOfTheNode(body, node);
        var logged = node.Log.Lines.Single(l => l.Contains($"(ref {reference.Groups[1].Value})"));
        Assert.Contains("GET /cluster failed", logged);
        Assert.Contains("AskTimeoutException", logged);

        using var ready = await _http.GetAsync(new Uri(node.Url, "health/ready"));
        var readiness = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)ready.StatusCode}: {readiness}");
        Assert.Contains("this node's executor directory did not answer within 2 s", JsonDocument.Parse(readiness).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_database_failure_is_a_503_without_the_database_s_words()
    {
        await using var node = await SecuredRuntime.StartAsync(_ => { });
        await DropRunsIndexAsync(node);

        foreach (var path in new[] { "runs", "runs/r-anything" })
        {
            using var response = await _http.GetAsync(new Uri(node.Url, path));
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)response.StatusCode}: {body}");
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
            Assert.Matches(@"^the journal database cannot be read \(is it up\?\); see the node's log \(ref [0-9a-f]{12}\)$", error);
            AssertHoldsNothingOfTheNode(body, node);
            Assert.DoesNotContain(RunsIndexStore.Table, body);
        }
        Assert.Contains(node.Log.Lines, l => l.Contains("no such table"));
    }

    [Fact]
    public async Task A_database_failure_shows_a_browser_a_503_page_in_the_layout_without_the_database_s_words()
    {
        await using var node = await SecuredRuntime.StartAsync(_ => { });
        await DropRunsIndexAsync(node);
        using var pages = new Dashboard.PageClient(node.Url);

        // The runs page, and a run's Url as a browser opens it.
        foreach (var path in new[] { "ui/runs", "runs/r-anything" })
        {
            var page = await pages.GetAsync(path);

            Assert.True(page.Status == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)page.Status}: {page.Body}");
            Assert.Equal("text/html", page.ContentType);
            Assert.True(page.Headers.Contains("Content-Security-Policy"), $"{path}: the error page has no CSP");
            // The layout: its navigation, and a way back.
            Assert.True(page.Has("header nav a#nav-runs") && page.Has("a#nav-cluster"), $"{path}: no layout: {page.Body}");
            Assert.Equal("Unavailable for now", page.Text("h1"));
            var message = page.Text("#error-page");
            var reference = Regex.Match(message,
                @"^This page cannot be shown now: the node cannot read its journal\. Try again in a moment; if it lasts, the node's log says why under ref ([0-9a-f]{12})\.$");
            Assert.True(reference.Success, $"{path}: the message is '{message}'");
            Assert.Contains(node.Log.Lines, l => l.Contains($"(ref {reference.Groups[1].Value})"));
            foreach (var insides in new[] { "no such table", RunsIndexStore.Table, "Exception", "Sqlite", " at ", Path.GetDirectoryName(node.Options.DatabasePath)! })
                Assert.False(page.Body.Contains(insides, StringComparison.OrdinalIgnoreCase), $"{path}: the page says '{insides}'");
        }
        // API clients keep the JSON answer.
        var json = await pages.GetAsync("ui/runs", accept: "application/json");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, json.Status);
        Assert.Equal("application/json", json.ContentType);
    }

    private static async Task DropRunsIndexAsync(SecuredRuntime node)
    {
        var indexFile = RunsIndexDatabase.IndexPathBeside(node.Options.DatabasePath);
        await using var connection = new SqliteConnection($"Data Source={indexFile}");
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP TABLE {RunsIndexStore.Table}";
        await drop.ExecuteNonQueryAsync();
    }

    private static void AssertHoldsNothingOfTheNode(string body, SecuredRuntime node)
    {
        Assert.DoesNotContain(Path.GetDirectoryName(node.Options.DatabasePath)!, body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(" at ", body);
        Assert.DoesNotContain("/", body.Replace("\\/", "", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^internal error, see the node's log \(ref ([0-9a-f]{12})\)$")]
    private static partial Regex InternalError();

    public void Dispose() => _http.Dispose();
}
