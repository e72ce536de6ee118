using System.Net;
using System.Text.Json;
using Fanout.Tests.HttpSecurity;
using Fanout.Tests.Support;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// <c>/ui/runs/{id}/events</c>: a finished run sends its summary then <c>end</c>; a running one sends a summary when it
/// changed, no more than about one a second, then <c>end</c>; the stream ends when the node stops.
/// </summary>
public sealed class RunEventsSpecs(DashboardFixture fixture) : IClassFixture<DashboardFixture>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task A_finished_run_sends_one_summary_then_end_and_the_stream_closes()
    {
        await Deadlines.Within(TimeSpan.FromSeconds(30), "the finished run's event stream to end", async ct =>
        {
            var events = await ReadAllAsync(fixture.Runtime.BaseUrl!, fixture.FleetRunId, onSummary: null, ct);
            Assert.Equal(["summary", "end"], events.Select(e => e.Name));
            using var summary = JsonDocument.Parse(events[0].Data);
            Assert.Equal(fixture.FleetRunId, summary.RootElement.GetProperty("runId").GetString());
            Assert.Equal("succeeded", summary.RootElement.GetProperty("status").GetString());
            Assert.Equal(4, summary.RootElement.GetProperty("counts").GetProperty("failed").GetInt32());
        });
    }

    [Fact]
    public async Task A_running_run_sends_a_summary_as_it_changes_at_most_about_once_a_second_then_end()
    {
        const int items = 4;
        var key = Guid.NewGuid().ToString("N");
        var gate = DashboardTasks.Gates.GetOrAdd(key, _ => new SemaphoreSlim(0));
        var run = await fixture.Runtime.RunAsync(DashboardTasks.Gated, (key, items));

        var events = await Deadlines.Within(Deadlines.EmbeddedRun, "the gated run's event stream to end", ct =>
            // Each summary seen lets one more item end, so the run changes between summaries until it is done.
            ReadAllAsync(fixture.Runtime.BaseUrl!, run.Id, onSummary: () => gate.Release(), ct));

        var summaries = events.Where(e => e.Name == "summary").ToList();
        Assert.Equal("end", events[^1].Name);
        Assert.True(summaries.Count >= 3, $"only {summaries.Count} summaries for a run whose {items} items ended one by one");
        Assert.Equal("running", JsonDocument.Parse(summaries[0].Data).RootElement.GetProperty("status").GetString());
        Assert.Equal("succeeded", JsonDocument.Parse(summaries[^1].Data).RootElement.GetProperty("status").GetString());
        Assert.Equal(summaries.Count, summaries.Select(s => s.Data).Distinct().Count());
        // Bounded rate: n summaries span at least n - 1 intervals of a second, less the first read's own latency.
        var span = summaries[^1].At - summaries[0].At;
        Assert.True(span >= TimeSpan.FromSeconds(summaries.Count - 1 - 0.5),
            $"{summaries.Count} summaries arrived within {span.TotalSeconds:F2} s: " + string.Join(", ", summaries.Select(s => $"{s.At.TotalSeconds:F2}")));
    }

    [Fact]
    public async Task An_unknown_run_has_no_event_stream()
    {
        using var response = await _http.GetAsync(new Uri(fixture.Runtime.BaseUrl!, "ui/runs/no-such-run/events"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Open_event_streams_end_when_the_node_stops_and_do_not_hold_its_stop()
    {
        var node = await SecuredRuntime.StartAsync(_ => { });
        var key = Guid.NewGuid().ToString("N");
        var gate = DashboardTasks.Gates.GetOrAdd(key, _ => new SemaphoreSlim(0));
        Task? stopping = null;
        try
        {
            var run = await node.Runtime.RunAsync(DashboardTasks.Gated, (key, 2));
            using var response = await _http.GetAsync(new Uri(node.Url, $"ui/runs/{run.Id}/events"), HttpCompletionOption.ResponseHeadersRead);
            var reader = new EventStreamReader(new StreamReader(await response.Content.ReadAsStreamAsync()));
            var streams = new List<EventStreamReader> { reader };
            using var second = await _http.GetAsync(new Uri(node.Url, $"ui/runs/{run.Id}/events"), HttpCompletionOption.ResponseHeadersRead);
            streams.Add(new EventStreamReader(new StreamReader(await second.Content.ReadAsStreamAsync())));
            foreach (var stream in streams)
                Assert.Equal("summary", (await Deadlines.Within(TimeSpan.FromSeconds(30), "a first summary", stream.NextAsync))!.Name);

            stopping = node.DisposeAsync().AsTask();
            // Below the host's 5 s shutdown timeout: the streams end because the node stops, not because it gave up waiting.
            foreach (var stream in streams)
                await Deadlines.Within(TimeSpan.FromSeconds(4), "the event stream to end as the node stops", async ct =>
                {
                    try
                    {
                        while (await stream.NextAsync(ct) is not null)
                        {
                        }
                    }
                    catch (HttpIOException)
                    {
                        // The connection was closed under the reader: ended too.
                    }
                    catch (IOException)
                    {
                    }
                });
            await stopping.Within(TimeSpan.FromSeconds(60), "the node to stop with event streams open");
        }
        finally
        {
            gate.Release(2);
            if (stopping is null) await node.DisposeAsync();
        }
    }

    private async Task<List<ServerEvent>> ReadAllAsync(Uri baseUrl, string runId, Action? onSummary, CancellationToken ct)
    {
        using var response = await _http.GetAsync(new Uri(baseUrl, $"ui/runs/{Uri.EscapeDataString(runId)}/events"), HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new EventStreamReader(new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
        var events = new List<ServerEvent>();
        while (await reader.NextAsync(ct) is { } next)
        {
            events.Add(next);
            if (next.Name == "summary") onSummary?.Invoke();
        }
        return events;
    }

    public void Dispose() => _http.Dispose();
}
