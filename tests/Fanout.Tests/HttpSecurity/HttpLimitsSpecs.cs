using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.Tests.EndToEnd;

namespace Fanout.Tests.HttpSecurity;

/// <summary>Bodies are bounded before they are parsed (413), and starts are rate-limited per client address (429).</summary>
public sealed class HttpLimitsSpecs : IDisposable
{
    // MaxPayloadBytes at its least (1 KiB) plus the 64 KiB envelope.
    private const int BodyLimit = 1024 + 64 * 1024;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_body_over_the_payload_limit_plus_the_envelope_is_413_before_it_is_parsed()
    {
        await using var node = await SecuredRuntime.StartAsync(options => options.MaxPayloadBytes = 1024);
        var runs = new Uri(node.Url, "runs");
        // Not JSON: a 400 would mean it was parsed.
        var tooLarge = new string('x', BodyLimit + 1);

        // With a declared length the node answers at once; "Expect: 100-continue" (as curl sends for large bodies) keeps the
        // client from sending a body the node will not read, which would otherwise race the node closing the connection.
        using var declaredRequest = new HttpRequestMessage(HttpMethod.Post, runs) { Content = new StringContent(tooLarge, Encoding.UTF8, "application/json") };
        declaredRequest.Headers.ExpectContinue = true;
        using var declared = await _http.SendAsync(declaredRequest);
        await AssertTooLargeAsync(declared);

        using var chunked = await _http.PostAsync(runs, new ChunkedContent(Encoding.UTF8.GetBytes(tooLarge)));
        await AssertTooLargeAsync(chunked);

        using var purge = await _http.PostAsync(new Uri(node.Url, "runs/purge"), new ChunkedContent(Encoding.UTF8.GetBytes(tooLarge)));
        await AssertTooLargeAsync(purge);

        // At the limit it is read and parsed.
        using var atLimit = await _http.PostAsync(runs, new StringContent(new string('x', BodyLimit), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, atLimit.StatusCode);
        Assert.Contains("the body is not JSON", await atLimit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Starts_beyond_the_rate_limit_are_429_with_retry_after_and_other_routes_are_not_limited()
    {
        await using var node = await SecuredRuntime.StartAsync(options => options.StartRateLimitPerSecond = 2);

        var answers = await StartManyAsync(node.Url, 12);

        var refused = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        // The ones let through reached the route: an unknown task is its 404.
        Assert.Contains(answers, a => a.Status == HttpStatusCode.NotFound);
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests, a.ToString()));
        foreach (var answer in refused)
        {
            Assert.True(answer.RetryAfter >= 1, $"Retry-After {answer.RetryAfter}");
            Assert.Equal("too many runs started from this address (at most 2 a second); retry in " + answer.RetryAfter + " s",
                JsonDocument.Parse(answer.Body).RootElement.GetProperty("error").GetString());
        }

        var reads = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _http.GetAsync(new Uri(node.Url, "tasks"))));
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task With_the_rate_limit_off_no_start_is_refused()
    {
        await using var node = await SecuredRuntime.StartAsync(options => options.StartRateLimitPerSecond = 0);

        var answers = await StartManyAsync(node.Url, 12);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.Status));
    }

    private async Task<IReadOnlyList<StartAnswer>> StartManyAsync(Uri api, int count)
    {
        var starts = Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await _http.PostAsync(new Uri(api, "runs"),
                new StringContent("{\"task\": \"no.such_task\", \"input\": 1}", Encoding.UTF8, "application/json"));
            var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : (int?)null;
            return new StartAnswer(response.StatusCode, retryAfter, await response.Content.ReadAsStringAsync());
        });
        return await Task.WhenAll(starts);
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {body}");
        Assert.Equal($"the request body is larger than this node takes ({BodyLimit} bytes: FanoutRuntimeOptions.MaxPayloadBytes plus 64 KiB)",
            JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    private sealed record StartAnswer(HttpStatusCode Status, int? RetryAfter, string Body);

    /// <summary>
    /// A body sent without a Content-Length (chunked), so only reading it finds out its size. It goes in one write, so it
    /// is all on its way before the node, having read past its limit, answers and closes the connection.
    /// </summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}
