using System.Text;
using System.Text.Json;
using Fanout.Http.Security;
using Fanout.Protocol;
using Fanout.Views;
using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard;

/// <summary>
/// <c>/ui/runs/{id}/events</c>: server-sent <c>summary</c> events (the run's summary as the JSON API writes it, with the folders the page draws in place of its groups) at most
/// once per <see cref="Interval"/> and only when it changed, then <c>end</c> once the run is not running, and the
/// stream closes. It also closes when the browser goes away or the node stops, so a watcher never holds a shutdown.
/// </summary>
internal static class RunEvents
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static async Task StreamAsync(HttpContext http, string runId, SummaryCache cache, JsonSerializerOptions json, CancellationToken stopping)
    {
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var ct = watch.Token;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // Keeps a buffering proxy from holding the events back.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        string? last = null;
        try
        {
            using var timer = new PeriodicTimer(Interval);
            do
            {
                RunPageView? view;
                try
                {
                    view = await cache.GetAsync(runId, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is Runtime.RunDidNotAnswerException or System.Data.Common.DbException)
                {
                    // A run or journal that does not answer this second may the next: the watcher keeps watching.
                    continue;
                }
                if (view is null) return;
                var summary = view.Summary;
                var text = SummaryEvent(StackTraces.For(http, summary), view.GroupTree, json);
                if (text != last)
                {
                    await WriteAsync(http, "summary", text, ct).ConfigureAwait(false);
                    last = text;
                }
                if (summary.Status != RunStatus.Running)
                {
                    await WriteAsync(http, "end", "{\"status\":" + JsonSerializer.Serialize(summary.Status, json) + "}", ct).ConfigureAwait(false);
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The browser left or the node is stopping: the stream just ends.
        }
    }

    /// <summary>
    /// The summary as the JSON API writes it, its groups replaced by the folders the page draws (already bounded and
    /// counted with their nested groups), so an event stays small however many groups the run has.
    /// </summary>
    private static string SummaryEvent(RunSummary summary, GroupTreeView tree, JsonSerializerOptions json)
    {
        var data = JsonSerializer.SerializeToNode(summary, json)!.AsObject();
        data.Remove(json.PropertyNamingPolicy?.ConvertName(nameof(RunSummary.Groups)) ?? nameof(RunSummary.Groups));
        data["folders"] = JsonSerializer.SerializeToNode(tree.Folders, json);
        return data.ToJsonString(json);
    }

    private static async Task WriteAsync(HttpContext http, string name, string data, CancellationToken ct)
    {
        var frame = Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n");
        await http.Response.Body.WriteAsync(frame, ct).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
