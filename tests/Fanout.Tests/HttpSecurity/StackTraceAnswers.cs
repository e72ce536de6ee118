using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// Reads a failed run's summary, its actions and its failed root action's detail, the answers that may carry a task's
/// stack trace. The detail comes back with the actions (after them): it must keep or lose stack traces as the page does.
/// </summary>
public static class StackTraceAnswers
{
    public static async Task<(string Summary, string Actions)> ReadAsync(HttpClient http, Uri api, string runId, string? token)
    {
        using var summary = await http.SendAsync(SecuredRuntime.Request(HttpMethod.Get, new Uri(api, $"runs/{runId}"), token));
        using var actions = await http.SendAsync(SecuredRuntime.Request(HttpMethod.Get, new Uri(api, $"runs/{runId}/actions?status=failed"), token));
        var summaryText = await summary.Content.ReadAsStringAsync();
        var actionsText = await actions.Content.ReadAsStringAsync();
        Assert.True(summary.IsSuccessStatusCode, $"GET /runs/{runId}: {(int)summary.StatusCode} {summaryText}");
        Assert.True(actions.IsSuccessStatusCode, $"GET /runs/{runId}/actions: {(int)actions.StatusCode} {actionsText}");
        // The error is there either way; only its stack trace may go.
        Assert.Contains("bad value for boom", summaryText);
        Assert.Contains("bad value for boom", actionsText);

        using var action = await http.SendAsync(SecuredRuntime.Request(HttpMethod.Get,
            new Uri(api, $"runs/{runId}/action?id={Uri.EscapeDataString(runId)}"), token));
        var actionText = await action.Content.ReadAsStringAsync();
        Assert.True(action.IsSuccessStatusCode, $"GET /runs/{runId}/action: {(int)action.StatusCode} {actionText}");
        Assert.Contains("bad value for boom", actionText);
        Assert.True(actionsText.Contains("ThrowDeep") == actionText.Contains("ThrowDeep"),
            $"the action's detail and the page of actions disagree on showing the stack trace: {actionText}");
        return (summaryText, actionsText + "\n" + actionText);
    }
}
