using System.Globalization;
using System.Net;
using System.Text.Json;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Fuzz;

/// <summary>
/// 10,000 random and malformed requests against a real embedded runtime's HTTP API: never a 5xx, never a hang, and
/// afterwards the node answers /health and a run started over HTTP still succeeds. The seed is printed (and read
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
        var seed = Environment.GetEnvironmentVariable("FANOUT_FUZZ_SEED") is { } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"HTTP fuzz seed {seed} (FANOUT_FUZZ_SEED={seed} repeats this session)");
        var known = await _fanout.RunAsync(Echo, 1);
        await known.WaitAsync(Deadlines.EmbeddedRun, "the run the fuzzer asks about to end");

        var report = await new HttpApiFuzzer(_fanout.BaseUrl!).RunAsync(seed, Requests, concurrency: 4, [known.Id], Echo.Name);

        output.WriteLine($"{report.Requests:N0} requests in {report.Elapsed.TotalSeconds:F1} s ({report.RequestsPerSecond:F0}/s); by status: " +
                         string.Join(", ", report.ByStatus.Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(report.Failures.Count == 0,
            $"seed {seed}: {report.Failures.Count} request(s) broke a rule:\n{string.Join("\n", report.Failures.Take(20))}");
        Assert.Equal(Requests, report.ByStatus.Values.Sum());

        using (var health = await _http.GetAsync(new Uri(_fanout.BaseUrl!, "health")))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await ANormalRunSucceedsOverHttpAsync();
    }

    private async Task ANormalRunSucceedsOverHttpAsync()
    {
        using var content = new StringContent($$"""{"task": "{{Echo.Name}}", "input": 42}""");
        using var created = await _http.PostAsync(new Uri(_fanout.BaseUrl!, "runs"), content);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var runId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;

        var status = await Deadlines.Within(Deadlines.EmbeddedRun, $"run {runId}, started over HTTP after the fuzz, to succeed", async ct =>
        {
            while (true)
            {
                var summary = JsonDocument.Parse(await _http.GetStringAsync(new Uri(_fanout.BaseUrl!, $"runs/{runId}"), ct)).RootElement;
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
