using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fanout.Tests.Support;
using static Fanout.Tests.EndToEnd.IdempotencyTasks;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// <c>POST /runs</c> with an <c>"id"</c>: repeated, it answers 201 with the same run and starts nothing more;
/// with another input, 409 naming what the run holds; a malformed id, 400 naming the rule.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class HttpIdempotentStartSpecs(RuntimeFixture fixture) : IDisposable
{
    private readonly FanoutRuntime _fanout = fixture.Runtime;
    private readonly HttpClient _http = new();

    [Fact]
    public async Task Posting_a_run_with_the_same_id_twice_answers_the_same_run_and_runs_its_root_once()
    {
        var runId = $"http-{Guid.NewGuid():N}";

        var first = await PostAsync($$"""{"task": "{{CountedOrder.Name}}", "input": {"Customer": "bo", "Amount": 7}, "id": "{{runId}}"}""");
        // The same request as another client writes it: other spacing and property order is the same input.
        var second = await PostAsync($$"""{"id":"{{runId}}","input":{"Amount":7,"Customer":"bo"},"task":"{{CountedOrder.Name}}"}""");

        foreach (var (status, body) in new[] { first, second })
        {
            Assert.True(status == HttpStatusCode.Created, $"POST /runs gave {(int)status}: {body}");
            Assert.Equal(runId, body.GetProperty("runId").GetString());
            Assert.Equal(new Uri(_fanout.BaseUrl!, $"runs/{runId}").ToString(), body.GetProperty("url").GetString());
        }
        Assert.Equal("bo:7", await _fanout.GetRun<string>(runId).EndsAsync("the run posted twice"));
        Assert.Equal(1, RootExecutions[runId]);
        Assert.Equal(1, (await _fanout.GetRun<string>(runId).GetSummaryAsync()).TotalActions);
    }

    [Fact]
    public async Task Posting_another_input_under_a_taken_id_answers_409_naming_the_run_and_what_it_holds()
    {
        var runId = $"http-{Guid.NewGuid():N}";
        var (created, _) = await PostAsync($$"""{"task": "{{CountedRoot.Name}}", "input": 5, "id": "{{runId}}"}""");
        Assert.Equal(HttpStatusCode.Created, created);

        var (status, body) = await PostAsync($$"""{"task": "{{CountedRoot.Name}}", "input": 6, "id": "{{runId}}"}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(runId, body.GetProperty("runId").GetString());
        var error = body.GetProperty("error").GetString();
        Assert.Contains($"Run id '{runId}' is already taken by a run of '{CountedRoot.Name}' on input 5; this start asked for input 6", error);
        Assert.Equal(10, await _fanout.GetRun<int>(runId).EndsAsync("the run the id names"));
    }

    [Theory]
    [InlineData("\"orders/42\"", "\"id\": run id 'orders/42' is not valid: use ASCII letters, digits, '_' and '-' (found '/')")]
    [InlineData("\"\"", "\"id\": a run id must not be empty")]
    [InlineData("42", "\"id\" must be a string (the run id), not number")]
    public async Task A_malformed_id_answers_400_naming_the_rule(string id, string problem)
    {
        var (status, body) = await PostAsync($$"""{"task": "{{CountedRoot.Name}}", "input": 1, "id": {{id}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problem, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_id_longer_than_the_limit_answers_400_naming_the_limit()
    {
        var (status, body) = await PostAsync(
            $$"""{"task": "{{CountedRoot.Name}}", "input": 1, "id": "{{new string('a', RunOptions.MaxRunIdLength + 1)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"at most {RunOptions.MaxRunIdLength} are allowed", body.GetProperty("error").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json)
    {
        using var response = await _http.PostAsync(new Uri(_fanout.BaseUrl!, "runs"), new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public void Dispose() => _http.Dispose();
}
