using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>Reads a failed run's summary and its actions, the two answers that may carry a task's stack trace.</summary>
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
        return (summaryText, actionsText);
    }
}
