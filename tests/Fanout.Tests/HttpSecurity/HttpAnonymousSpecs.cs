using System.Net;
using Fanout.Tests.EndToEnd;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// Who sees a task's stack trace: a node opened beyond loopback on purpose (AllowAnonymousApi) serves anyone, but
/// strips stack traces; the developer's open loopback API keeps them.
/// </summary>
public sealed class HttpAnonymousSpecs : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task An_API_opened_beyond_loopback_on_purpose_serves_anyone_without_task_stack_traces()
    {
        await using var node = await SecuredRuntime.StartAsync(options =>
        {
            options.HttpHost = "0.0.0.0";
            options.AllowAnonymousApi = true;
        });
        var runId = await FailedRunAsync(node.Runtime);

        var (summary, actions) = await StackTraceAnswers.ReadAsync(_http, node.Url, runId, token: null);

        Assert.DoesNotContain("stackTrace", summary);
        Assert.DoesNotContain("stackTrace", actions);
        Assert.DoesNotContain("ThrowDeep", summary + actions);
        using var start = await _http.PostAsync(new Uri(node.Url, "runs"),
            new StringContent($"{{\"task\": \"{PatternTasks.Square.Name}\", \"input\": 2}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
    }

    [Fact]
    public async Task The_open_loopback_API_keeps_task_stack_traces_for_the_developer()
    {
        await using var node = await SecuredRuntime.StartAsync(_ => { });
        var runId = await FailedRunAsync(node.Runtime);

        var (summary, actions) = await StackTraceAnswers.ReadAsync(_http, node.Url, runId, token: null);

        Assert.Contains("ThrowDeep", summary);
        Assert.Contains("ThrowDeep", actions);
    }

    private static async Task<string> FailedRunAsync(FanoutRuntime runtime)
    {
        var failed = await runtime.RunAsync(FailureTasks.AlwaysFails, "boom");
        await Assert.ThrowsAsync<ActionFailedException>(() => failed.WaitAsync(Deadlines.EmbeddedRun, "the failing run to end"));
        return failed.Id;
    }

    public void Dispose() => _http.Dispose();
}
