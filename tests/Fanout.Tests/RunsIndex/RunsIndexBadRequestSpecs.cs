using System.Net;
using Fanout.Tests.Support;

namespace Fanout.Tests.RunsIndex;

/// <summary><c>GET /runs</c> and <c>POST /runs/purge</c> answer a bad parameter with 400 naming it.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class RunsIndexBadRequestSpecs(RuntimeFixture fixture)
{
    [Theory]
    [InlineData("limit=0", "limit '0' must be a whole number from 1 to 500")]
    [InlineData("limit=501", "limit '501' must be a whole number from 1 to 500")]
    [InlineData("status=done", "status 'done' is not one of: running, succeeded, failed, cancelled")]
    [InlineData("since=yesterday", "since 'yesterday' is not an ISO-8601 date and time")]
    [InlineData("cursor=nonsense", "cursor 'nonsense' is not a cursor this API gave out")]
    public async Task A_bad_parameter_answers_400_naming_it(string query, string problem)
    {
        using var http = new RunsIndexHttp(fixture.Runtime.BaseUrl!);

        var (status, body) = await http.GetAsync($"runs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(problem, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"olderThan": "soon"}""", "olderThan 'soon' is not an age")]
    [InlineData("""{"olderThan": "-1d"}""", "olderThan '-1d' is not an age: it must be more than zero")]
    [InlineData("""{"age": "7d"}""", "the body must be {\"olderThan\": \"7d\"}")]
    [InlineData("""not json""", "the body is not JSON")]
    public async Task A_bad_purge_request_answers_400_naming_it(string json, string problem)
    {
        using var http = new RunsIndexHttp(fixture.Runtime.BaseUrl!);

        var (status, body) = await http.PostAsync("runs/purge", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(problem, body.GetProperty("error").GetString());
    }
}
