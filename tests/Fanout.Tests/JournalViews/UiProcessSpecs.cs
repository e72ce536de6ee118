using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fanout.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Fanout.Tests.JournalViews;

/// <summary>
/// <c>fanout ui</c> and the samples' <c>--serve</c> as real processes: a run's page outlives the program that ran it.
/// </summary>
public sealed partial class UiProcessSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Fanout_ui_serves_a_run_written_by_a_process_that_has_exited_and_changes_nothing()
    {
        using var folder = new TempDirectory();
        var database = folder.File("samples.db");
        string runId;
        using (var samples = HostProcess.Start("Fanout.Samples.dll", new Dictionary<string, string>(), "basic", "--db", database))
        {
            Assert.Equal(0, await samples.WaitForExitAsync(Within));
            runId = RunUrl().Match(await samples.WaitForLineAsync("  run ", Within)).Groups["id"].Value;
            Assert.Contains($"`fanout ui --db {database}`", samples.Output); // how to see it again, said as it ends
        }
        var before = await JournalFiles.FingerprintAsync(RuntimeFixture.TestOptions(database));

        using (var ui = HostProcess.Start("Fanout.Cli.dll", new Dictionary<string, string>(), "ui", "--db", folder.Path, "--port", "0"))
        {
            var line = await ui.WaitForLineAsync("Fanout UI (read-only) at ", Within);
            Assert.EndsWith($" - journal {database}", line);
            var pages = new Uri(line["Fanout UI (read-only) at ".Length..line.IndexOf(" - journal ", StringComparison.Ordinal)]);
            Assert.Equal("/ui/runs", pages.AbsolutePath);
            using var http = new HttpClient { BaseAddress = new Uri(pages, "/") };

            using (var summary = JsonDocument.Parse(await http.GetStringAsync($"runs/{runId}")))
            {
                Assert.Equal("succeeded", summary.RootElement.GetProperty("status").GetString());
                Assert.Equal(51, summary.RootElement.GetProperty("totalActions").GetInt32());
            }
            using (var actions = JsonDocument.Parse(await http.GetStringAsync($"runs/{runId}/actions?limit=10&offset=5")))
                Assert.Equal(10, actions.RootElement.GetProperty("actions").GetArrayLength());

            var runPage = await GetHtmlAsync(http, $"ui/runs/{runId}");
            Assert.Contains("id=\"read-only-banner\"", runPage);
            Assert.Matches("id=\"run-status\"[^>]*>Succeeded<", runPage);
            Assert.Contains(">51<", runPage);
            Assert.Contains($"data-run-id=\"{runId}\"", await GetHtmlAsync(http, "ui/runs"));
            // run.Url itself, as a browser asks for it, is the same page.
            Assert.Matches("id=\"run-status\"[^>]*>Succeeded<", await GetHtmlAsync(http, $"runs/{runId}"));
            // Nothing to act with: no cancel, no start.
            using (var cancel = await http.PostAsync($"runs/{runId}/cancel", null))
                Assert.True(cancel.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"cancel answered {cancel.StatusCode}");
            using (var start = await http.PostAsync("runs", new StringContent("""{"task":"x","input":1}""")))
                Assert.True(start.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"start answered {start.StatusCode}");

            ui.Terminate();
            Assert.Equal(0, await ui.WaitForExitAsync(Within));
        }

        Assert.Equal(before, await JournalFiles.FingerprintAsync(RuntimeFixture.TestOptions(database)));
    }

    [Fact]
    public async Task Fanout_ui_refuses_what_it_cannot_serve_with_exit_code_2_naming_it()
    {
        using var folder = new TempDirectory();
        var notSqlite = folder.File("notes.db");
        await File.WriteAllTextAsync(notSqlite, "not a database");
        var empty = Path.Combine(folder.Path, "empty", "empty.db");
        Directory.CreateDirectory(Path.GetDirectoryName(empty)!);
        await using (var connection = new SqliteConnection($"Data Source={empty}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE other (x INTEGER)";
            await command.ExecuteNonQueryAsync();
        }
        // A file the journal check takes (it has the journal's table), for the refusals that come after that check.
        var journalLike = folder.File("journal-like.db");
        await using (var connection = new SqliteConnection($"Data Source={journalLike}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE journal (x INTEGER)";
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        var two = Path.Combine(folder.Path, "two");
        Directory.CreateDirectory(two);
        await File.WriteAllTextAsync(Path.Combine(two, "a.db"), "");
        await File.WriteAllTextAsync(Path.Combine(two, "b.db"), "");
        var missing = folder.File("missing.db");

        await RefusedAsync($"no such file or folder: {missing}", "--db", missing);
        await RefusedAsync($"{notSqlite} cannot be read as a Fanout journal (SQLite says: SQLite Error 26: 'file is not a database'.)", "--db", notSqlite);
        await RefusedAsync($"{empty} holds no Fanout journal", "--db", empty);
        await RefusedAsync($"{empty} holds no Fanout journal", "--db", Path.GetDirectoryName(empty)!); // a folder's one journal file
        await RefusedAsync("holds 2 journal files (a.db, b.db)", "--db", two);
        await RefusedAsync("--port 70000 is not a port", "--db", empty, "--port", "70000");
        await RefusedAsync("not both", "--db", empty, "--postgres", "Host=127.0.0.1");
        await RefusedAsync("--host '0.0.0.0' is beyond loopback", "--db", empty, "--host", "0.0.0.0");
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RefusedAsync($"cannot listen on 127.0.0.1:{port}", "--db", journalLike, "--port", port);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task Samples_serve_keeps_the_printed_run_url_answering_until_the_process_is_stopped()
    {
        using var folder = new TempDirectory();
        using var samples = HostProcess.Start("Fanout.Samples.dll", new Dictionary<string, string>(), "basic", "--serve", "--db", folder.File("samples.db"));

        var serving = await samples.WaitForLineAsync("Serving the run pages at ", Within);
        var runUrl = new Uri(RunUrl().Match(await samples.WaitForLineAsync("  run ", Within)).Groups["url"].Value);
        Assert.Contains("open it in a browser", samples.Output);
        Assert.Equal($"Serving the run pages at {new Uri(runUrl, "/ui/runs")} until Ctrl+C", serving);
        using var http = new HttpClient();
        using (var summary = JsonDocument.Parse(await http.GetStringAsync(runUrl)))
            Assert.Equal("succeeded", summary.RootElement.GetProperty("status").GetString());
        Assert.Matches("id=\"run-status\"[^>]*>Succeeded<", await GetHtmlAsync(http, runUrl.ToString()));

        samples.Terminate();
        Assert.Equal(0, await samples.WaitForExitAsync(Within));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(runUrl));
    }

    private static async Task RefusedAsync(string problem, params string[] args)
    {
        using var ui = HostProcess.Start("Fanout.Cli.dll", new Dictionary<string, string>(), ["ui", .. args]);
        var exit = await ui.WaitForExitAsync(Within);
        Assert.True(exit == 2, $"fanout ui {string.Join(' ', args)}: exit {exit}\n{ui.Output}");
        Assert.Contains(problem, ui.Output);
        Assert.StartsWith("stderr: fanout: ", ui.Output);
    }

    private static async Task<string> GetHtmlAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex(@"^  run\s+(?<url>http://\S+/runs/(?<id>[^/\s]+))$")]
    private static partial Regex RunUrl();
}
