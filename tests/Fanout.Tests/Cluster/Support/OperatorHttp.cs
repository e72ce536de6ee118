using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fanout.Tests.Cluster.Support;

/// <summary>The operator endpoints of a worker's HTTP API, as the specs call them: a JSON answer and its status.</summary>
internal static class OperatorHttp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(ClusterNode node, string path)
    {
        using var response = await Http.GetAsync(new Uri(node.HttpApi!, path));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(ClusterNode node, string path, string? json = null)
    {
        using var content = new StringContent(json ?? "", System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(node.HttpApi!, path), content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>POST /cluster/{action} with the address in the body.</summary>
    public static Task<(HttpStatusCode Status, JsonElement Body)> MembershipAsync(ClusterNode node, string action, string address) =>
        PostAsync(node, "cluster/" + action, JsonSerializer.Serialize(new { address }));

    /// <summary>Opens GET /cluster/events and collects its lines in the background until disposed (which disconnects).</summary>
    public static async Task<EventTail> TailEventsAsync(ClusterNode node)
    {
        var stop = new CancellationTokenSource();
        var response = await Http.GetAsync(new Uri(node.HttpApi!, "cluster/events"), HttpCompletionOption.ResponseHeadersRead, stop.Token);
        response.EnsureSuccessStatusCode();
        return new EventTail(response, stop);
    }

    /// <summary>A live <c>/cluster/events</c> stream: every line read so far, parsed.</summary>
    public sealed class EventTail : IDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly CancellationTokenSource _stop;
        private readonly ConcurrentQueue<JsonElement> _lines = new();
        private readonly Task _reading;

        public EventTail(HttpResponseMessage response, CancellationTokenSource stop)
        {
            _response = response;
            _stop = stop;
            _reading = ReadAsync();
        }

        public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

        public IReadOnlyList<JsonElement> Lines => _lines.ToList();

        /// <summary>Whether the server ended the stream (the node stopped, or it closed a client that fell behind).</summary>
        public bool Ended => _reading.IsCompleted;

        public bool Has(string @event, string address) =>
            _lines.Any(l => l.GetProperty("event").GetString() == @event && l.TryGetProperty("address", out var a) && a.GetString() == address);

        private async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                    _lines.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // disconnected by Dispose, or the node went away
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _response.Dispose();
            _stop.Dispose();
        }
    }
}
