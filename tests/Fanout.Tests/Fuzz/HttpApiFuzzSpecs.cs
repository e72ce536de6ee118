using System.Globalization;
using System.Net;
using System.Text.Json;
using Fanout.Tests.HttpSecurity;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Fuzz;

/// <summary>
/// 10,000 random and malformed requests against a real embedded runtime's HTTP API: never a 5xx, never a hang, and
/// afterwards the node is ready and a run started over HTTP still succeeds; once open on loopback, once requiring tokens. The seed is printed (and read
/// from FANOUT_FUZZ_SEED when set), so a failure reproduces.
/// </summary>
public sealed class HttpApiFuzzSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Requests = 10_000;
    private static readonly TaskEnvironment Env = new("fuzz");
    private static readonly TaskDefinition<int, int> Echo = Env.Task("echo", (int x) => Task.FromResult(x));

    private TestJournal _journal = null!;
    private FanoutRuntime _fanout = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        _fanout = await FanoutRuntime.StartEmbeddedAsync(_journal.Options());
    }

    [Fact]
    public async Task Ten_thousand_bad_requests_get_no_5xx_and_no_hang_and_the_node_still_runs_runs()
    {
        await FuzzThenRunAsync(_fanout, authorization: null, authorizationMix: null);
    }

    /// <summary>
    /// The same against a node that requires tokens (bound to 0.0.0.0): each request carries the operator's token, the
    /// viewer's, a wrong one or none, so the fuzz reaches the handlers behind the token check as well as the check.
    /// </summary>
    [Fact]
    public async Task Ten_thousand_bad_requests_to_a_node_that_requires_tokens_get_no_5xx_and_no_hang()
    {
        await using var secured = await SecuredRuntime.WithTokensAsync();
        const string operatorHeader = "Bearer " + SecuredRuntime.OperatorToken;
        string?[] mix = [operatorHeader, operatorHeader, operatorHeader, "Bearer " + SecuredRuntime.ViewerToken, "Bearer not-the-token-0123456789", "Basic b3A6dG9rZW4=", null];
        await FuzzThenRunAsync(secured.Runtime, operatorHeader, mix);
        Assert.DoesNotContain(SecuredRuntime.OperatorToken, secured.Log.Text, StringComparison.Ordinal);
    }

    private async Task FuzzThenRunAsync(FanoutRuntime fanout, string? authorization, IReadOnlyList<string?>? authorizationMix)
    {
        var seed = Environment.GetEnvironmentVariable("FANOUT_FUZZ_SEED") is { } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"HTTP fuzz seed {seed} (FANOUT_FUZZ_SEED={seed} repeats this session)");
        var known = await fanout.RunAsync(Echo, 1);
        await known.WaitAsync(Deadlines.EmbeddedRun, "the run the fuzzer asks about to end");

        var baseUrl = new UriBuilder(fanout.BaseUrl!) { Host = "127.0.0.1" }.Uri;
        var report = await new HttpApiFuzzer(baseUrl, authorization, authorizationMix: authorizationMix)
            .RunAsync(seed, Requests, concurrency: 4, [known.Id], Echo.Name);

        output.WriteLine($"{report.Requests:N0} requests in {report.Elapsed.TotalSeconds:F1} s ({report.RequestsPerSecond:F0}/s); by status: " +
                         string.Join(", ", report.ByStatus.Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(report.Failures.Count == 0,
            $"seed {seed}: {report.Failures.Count} request(s) broke a rule:\n{string.Join("\n", report.Failures.Take(20))}");
        Assert.Equal(Requests, report.ByStatus.Values.Sum());

        using (var health = await _http.GetAsync(new Uri(baseUrl, "health/ready")))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await ANormalRunSucceedsOverHttpAsync(baseUrl, authorization);
    }

    // The fuzz may have used up this client's start budget (POST /runs is rate-limited per client): a start answered
    // 429 is sent again after its Retry-After, as a well-behaved client does.
    private async Task ANormalRunSucceedsOverHttpAsync(Uri baseUrl, string? authorization)
    {
        var runId = await Deadlines.Within(Deadlines.EmbeddedRun, "a run to be started over HTTP after the fuzz", async ct =>
        {
            while (true)
            {
                using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "runs"))
                {
                    Content = new StringContent($$"""{"task": "{{Echo.Name}}", "input": 42}"""),
                };
                if (authorization is not null) start.Headers.TryAddWithoutValidation("Authorization", authorization);
                using var created = await _http.SendAsync(start, ct);
                if (created.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(created.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct); // the server's own Retry-After
                    continue;
                }
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                return JsonDocument.Parse(await created.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("runId").GetString()!;
            }
        });

        var status = await Deadlines.Within(Deadlines.EmbeddedRun, $"run {runId}, started over HTTP after the fuzz, to succeed", async ct =>
        {
            while (true)
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"runs/{runId}"));
                if (authorization is not null) get.Headers.TryAddWithoutValidation("Authorization", authorization);
                using var answer = await _http.SendAsync(get, ct);
                var summary = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(ct)).RootElement;
                var now = summary.GetProperty("status").GetString();
                if (now is "succeeded" or "failed" or "cancelled") return now;
                await Task.Delay(100, ct); // polling a run's status, bounded by the deadline
            }
        });
        Assert.Equal("succeeded", status);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_fanout is not null) await _fanout.DisposeAsync();
        if (_journal is not null) await _journal.DisposeAsync();
    }
}
