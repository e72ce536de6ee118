using System.Net;
using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>The runtime's HTTP JSON API: a run's summary at its URL, its actions paged and filtered.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class HttpApiSpecs(RuntimeFixture fixture) : IDisposable
{
    private readonly FanoutRuntime _fanout = fixture.Runtime;
    private readonly HttpClient _http = new();

    [Fact]
    public async Task The_run_url_serves_the_run_summary_with_counts_by_status_and_group()
    {
        var run = await _fanout.RunAsync(PatternTasks.Grouped, 3);
        await run.WaitAsync(Deadlines.EmbeddedRun, "the grouped run to end");

        Assert.NotNull(run.Url);
        Assert.Equal("127.0.0.1", run.Url.Host);
        using var summary = await GetJsonAsync(run.Url.ToString());
        var root = summary.RootElement;
        Assert.Equal(run.Id, root.GetProperty("runId").GetString());
        Assert.Equal("succeeded", root.GetProperty("status").GetString());
        Assert.Equal(1 + 3 + 2 + 1, root.GetProperty("totalActions").GetInt32());
        Assert.Equal(7, root.GetProperty("counts").GetProperty("succeeded").GetInt32());
        var groups = root.GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("group").GetString()!, g => g.GetProperty("total").GetInt32());
        Assert.Equal(new Dictionary<string, int> { [""] = 2, ["phase-1"] = 3, ["phase-1/shard-a"] = 2 }, groups);
    }

    [Fact]
    public async Task Actions_are_paged_and_filtered_by_status_and_group()
    {
        var run = await _fanout.RunAsync(FailureTasks.CollectFailures, 10);
        await run.WaitAsync(Deadlines.EmbeddedRun, "the run collecting failures to end");
        var actions = $"{run.Url}/actions";

        using var firstPage = await GetJsonAsync($"{actions}?limit=4");
        Assert.Equal(11, firstPage.RootElement.GetProperty("total").GetInt32());
        var ids = firstPage.RootElement.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("actionId").GetString()).ToList();
        Assert.Equal(new[] { run.Id, $"{run.Id}/failures.fails_on_3#0", $"{run.Id}/failures.fails_on_3#1", $"{run.Id}/failures.fails_on_3#2" }, ids);

        using var secondPage = await GetJsonAsync($"{actions}?offset=4&limit=4");
        Assert.Equal($"{run.Id}/failures.fails_on_3#3",
            secondPage.RootElement.GetProperty("actions")[0].GetProperty("actionId").GetString());

        using var failed = await GetJsonAsync($"{actions}?status=failed");
        Assert.Equal(4, failed.RootElement.GetProperty("total").GetInt32()); // 0, 3, 6, 9
        var first = failed.RootElement.GetProperty("actions")[0];
        Assert.Equal("failed", first.GetProperty("status").GetString());
        Assert.Equal("System.IO.InvalidDataException", first.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(1, first.GetProperty("attempts").GetInt32());

        using var noSuchGroup = await GetJsonAsync($"{actions}?group=nope");
        Assert.Equal(0, noSuchGroup.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Actions_are_filtered_by_task_and_one_is_read_by_id_with_its_attempts()
    {
        var run = await _fanout.RunAsync(FailureTasks.CollectFailures, 10);
        await run.WaitAsync(Deadlines.EmbeddedRun, "the run collecting failures to end");

        using var leaves = await GetJsonAsync($"{run.Url}/actions?task=failures.fails_on_3&status=failed&limit=2");
        Assert.Equal(4, leaves.RootElement.GetProperty("total").GetInt32());
        using var noSuchTask = await GetJsonAsync($"{run.Url}/actions?task=failures");
        Assert.Equal(0, noSuchTask.RootElement.GetProperty("total").GetInt32());

        // Ids hold '/' and '#': the id travels escaped in the query string.
        var failedId = $"{run.Id}/failures.fails_on_3#3";
        using var detail = await GetJsonAsync($"{run.Url}/action?id={Uri.EscapeDataString(failedId)}");
        var action = detail.RootElement.GetProperty("action");
        Assert.Equal((failedId, "failed"), (action.GetProperty("actionId").GetString(), action.GetProperty("status").GetString()));
        var attempt = detail.RootElement.GetProperty("attempts").EnumerateArray().Single();
        Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        Assert.Equal("failed", attempt.GetProperty("outcome").GetString());
        Assert.Equal("System.IO.InvalidDataException", attempt.GetProperty("error").GetProperty("type").GetString());
        // The embedded node's own cluster address, never an empty host.
        Assert.Matches(@"^127\.0\.0\.1:\d+$", attempt.GetProperty("node").GetString());
        Assert.True(attempt.GetProperty("startedAt").GetDateTimeOffset() <= attempt.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal("3", detail.RootElement.GetProperty("inputPreview").GetString());

        var unknownAction = await _http.GetAsync($"{run.Url}/action?id={Uri.EscapeDataString(run.Id + "/nope#0")}");
        Assert.Equal(HttpStatusCode.NotFound, unknownAction.StatusCode);
        Assert.Contains("has no action with id", await unknownAction.Content.ReadAsStringAsync());
        var unknownRun = await _http.GetAsync(new Uri(_fanout.BaseUrl!, "runs/r-not-a-run/action?id=r-not-a-run"));
        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
        Assert.Contains("no run with id 'r-not-a-run'", await unknownRun.Content.ReadAsStringAsync());
        var noId = await _http.GetAsync($"{run.Url}/action");
        Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
    }

    [Fact]
    public async Task Bad_queries_and_unknown_runs_get_clear_errors()
    {
        var run = await _fanout.RunAsync(PatternTasks.Square, 2);
        await run.WaitAsync(Deadlines.EmbeddedRun, "the square run to end");

        var badStatus = await _http.GetAsync($"{run.Url}/actions?status=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("status 'sleeping' is not one of", await badStatus.Content.ReadAsStringAsync());

        var badLimit = await _http.GetAsync($"{run.Url}/actions?limit=5000");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("limit must be between 1 and 1000", await badLimit.Content.ReadAsStringAsync());

        var badOffset = await _http.GetAsync($"{run.Url}/actions?offset=ten");
        Assert.Equal(HttpStatusCode.BadRequest, badOffset.StatusCode);

        var unknown = await _http.GetAsync(new Uri(_fanout.BaseUrl!, "runs/r-not-a-run"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("r-not-a-run", await unknown.Content.ReadAsStringAsync());
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        var response = await _http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} gave {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    public void Dispose() => _http.Dispose();
}
