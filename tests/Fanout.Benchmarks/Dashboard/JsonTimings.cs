using System.Diagnostics;
using System.Text.Json;

namespace Fanout.Benchmarks.Dashboard;

/// <summary>
/// What the pages read, timed at the HTTP level from this process (loopback): the JSON API and the server-rendered
/// HTML, each the median of a few requests after one to warm up.
/// </summary>
internal sealed class JsonTimings(HttpClient http, Uri baseUrl)
{
    private const int Repeats = 5;

    /// <summary>The median milliseconds of a GET of <paramref name="path"/>, and its body (which must be a success).</summary>
    public async Task<(double Ms, string Body)> TimeAsync(string path, CancellationToken ct)
    {
        var url = new Uri(baseUrl, path);
        var body = await GetAsync(url, ct);
        var times = new List<double>(Repeats);
        for (var i = 0; i < Repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            await GetAsync(url, ct);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[Repeats / 2], body);
    }

    /// <summary>The id of the first action of a JSON page of actions.</summary>
    public async Task<string> FirstActionIdAsync(string runId, string query, CancellationToken ct)
    {
        var body = await GetAsync(new Uri(baseUrl, $"runs/{runId}/actions?{query}&limit=1"), ct);
        using var page = JsonDocument.Parse(body);
        return page.RootElement.GetProperty("actions")[0].GetProperty("actionId").GetString()!;
    }

    private async Task<string> GetAsync(Uri url, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        return body;
    }
}
