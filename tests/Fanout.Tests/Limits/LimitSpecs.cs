using System.Net;
using System.Text.Json;
using Fanout.Tests.Support;
using static Fanout.Workflow;

namespace Fanout.Tests.Limits;

/// <summary>
/// MaxActionsPerRun and MaxRunsInFlight on a real embedded runtime: a call beyond the first fails alone, naming
/// the setting and the run; a start beyond the second is refused (the SDK's exception, HTTP 503) and may be
/// made again once a run has ended.
/// </summary>
public sealed class LimitSpecs : IAsyncLifetime
{
    private const int ActionLimit = 4;
    private static readonly TaskEnvironment Env = new("limits");
    private static TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static readonly TaskDefinition<int, int> Double = Env.Task("double", (int x) => Task.FromResult(x * 2));

    private static readonly TaskDefinition<int, string[]> Collecting = Env.Task("collecting", async (int n, CancellationToken ct) =>
    {
        var outcomes = await Gather(Enumerable.Range(0, n).Select(i => Double.InvokeAsync(i)), returnExceptions: true);
        return outcomes.Select(o => o.IsSuccess ? $"ok {o.Value}" : $"{o.Exception!.GetType().Name}: {o.Exception.Message}").ToArray();
    });

    private static readonly TaskDefinition<int, string> Awaiting = Env.Task("awaiting", async (int n, CancellationToken ct) =>
    {
        for (var i = 0; i < n; i++)
        {
            try
            {
                await Double.InvokeAsync(i);
            }
            catch (ActionFailedException e)
            {
                return $"call {i}: {e.RemoteType}: {e.RemoteMessage}";
            }
        }
        return "every call succeeded";
    });

    private static readonly TaskDefinition<int, int> Held = Env.Task("held", async (int x, CancellationToken ct) =>
    {
        await _gate.Task.WaitAsync(ct);
        return x;
    });

    private TestJournal _journal = null!;
    private FanoutRuntime _fanout = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = _journal.Options();
        options.MaxActionsPerRun = ActionLimit;
        options.MaxRunsInFlight = 2;
        _fanout = await FanoutRuntime.StartEmbeddedAsync(options);
    }

    [Fact]
    public async Task Calls_beyond_MaxActionsPerRun_fail_alone_naming_the_setting_and_the_run()
    {
        var run = await _fanout.RunAsync(Collecting, 6);
        var lines = await run.WaitAsync(Deadlines.EmbeddedRun, "the run with calls over MaxActionsPerRun to end");

        Assert.Equal(new[] { "ok 0", "ok 2", "ok 4" }, lines[..3]); // the root and three children make four
        foreach (var line in lines[3..])
        {
            Assert.StartsWith("ActionFailedException: ", line);
            Assert.Contains("Fanout.MaxActionsPerRun", line);
            Assert.Contains($"Run {run.Id} already has 4 actions, the most MaxActionsPerRun (4) allows", line);
        }
        var summary = await run.GetSummaryAsync();
        Assert.Equal((RunStatus.Succeeded, 4), (summary.Status, summary.TotalActions)); // nothing was recorded beyond it
    }

    [Fact]
    public async Task A_parent_awaiting_a_call_beyond_MaxActionsPerRun_gets_an_exception()
    {
        var run = await _fanout.RunAsync(Awaiting, 10);
        var result = await run.WaitAsync(Deadlines.EmbeddedRun, "the sequential run over MaxActionsPerRun to end");

        Assert.StartsWith($"call 3: Fanout.MaxActionsPerRun: Run {run.Id} already has 4 actions", result);
        Assert.Contains("FANOUT_MAX_ACTIONS_PER_RUN", result);
    }

    [Fact]
    public async Task A_start_beyond_MaxRunsInFlight_is_refused_until_a_run_ends()
    {
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await _fanout.RunAsync(Held, 1);
        var second = await _fanout.RunAsync(Held, 2);

        var refused = await Assert.ThrowsAsync<TooManyRunsInFlightException>(
            () => _fanout.RunAsync(Held, 3, new RunOptions { RunId = "limits-third" }));
        Assert.Equal(("limits-third", 2), (refused.RunId, refused.Limit));
        Assert.Contains("MaxRunsInFlight", refused.Message);
        var (status, body, retryAfter) = await PostRunAsync("limits-over-http");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("MaxRunsInFlight", body.GetProperty("setting").GetString());
        Assert.Contains("FANOUT_MAX_RUNS_IN_FLIGHT", body.GetProperty("error").GetString());
        Assert.NotNull(retryAfter);
        var unknown = await Assert.ThrowsAsync<FanoutException>(() => _fanout.GetRun<int>("limits-third").GetSummaryAsync());
        Assert.Contains("limits-third", unknown.Message); // nothing was journaled for the refused run

        _gate.SetResult();
        Assert.Equal(1, await first.WaitAsync(Deadlines.EmbeddedRun, "the first held run to end"));
        Assert.Equal(2, await second.WaitAsync(Deadlines.EmbeddedRun, "the second held run to end"));
        var third = await _fanout.RunAsync(Held, 3, new RunOptions { RunId = "limits-third" });
        Assert.Equal(3, await third.WaitAsync(Deadlines.EmbeddedRun, "the third run, started again, to end"));
        var (again, _, _) = await PostRunAsync("limits-over-http");
        Assert.Equal(HttpStatusCode.Created, again);
    }

    private async Task<(HttpStatusCode, JsonElement, string?)> PostRunAsync(string runId)
    {
        using var content = new StringContent($$"""{"task": "{{Held.Name}}", "input": 4, "id": "{{runId}}"}""");
        using var response = await _http.PostAsync(new Uri(_fanout.BaseUrl!, "runs"), content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body, response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public void Limits_below_one_are_refused_naming_the_setting()
    {
        var actions = Assert.Throws<ArgumentOutOfRangeException>(() => new FanoutRuntimeOptions { MaxActionsPerRun = 0 }.Validate());
        Assert.Equal("MaxActionsPerRun", actions.ParamName);
        var runs = Assert.Throws<ArgumentOutOfRangeException>(() => new FanoutRuntimeOptions { MaxRunsInFlight = 0 }.Validate());
        Assert.Equal("MaxRunsInFlight", runs.ParamName);
    }

    public async Task DisposeAsync()
    {
        _gate.TrySetResult();
        _http.Dispose();
        if (_fanout is not null) await _fanout.DisposeAsync();
        if (_journal is not null) await _journal.DisposeAsync();
    }
}
