using System.Net;
using System.Text;
using System.Text.Json;

namespace Fanout.Tests.RunsIndex;

/// <summary>The runs index routes as a client sees them: status and JSON body.</summary>
internal sealed class RunsIndexHttp(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl };

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    /// <summary>Every run <c>GET /runs</c> lists for the query, page by page, with the number of pages.</summary>
    public async Task<(List<JsonElement> Runs, int Pages)> ListAllAsync(string query)
    {
        var runs = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (status, body) = await GetAsync($"runs?{query}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            Assert.True(status == HttpStatusCode.OK, $"GET /runs?{query} page {pages + 1} gave {(int)status}: {body}");
            runs.AddRange(body.GetProperty("runs").EnumerateArray());
            cursor = body.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
            if (pages > 10_000) throw new InvalidOperationException($"GET /runs?{query} never reached a last page");
        }
        while (cursor is not null);
        return (runs, pages);
    }

    private async Task<(HttpStatusCode, JsonElement)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    public void Dispose() => _http.Dispose();
}
