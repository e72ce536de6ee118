using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Fanout.Cli.Http;

/// <summary>
/// Every request the CLI makes goes through here, on one <see cref="HttpClient"/>, which adds the bearer token
/// (<see cref="NodeCredentials"/>) to each. Answers are JSON; an error answer (<c>{"error": "..."}</c>) or
/// a node that does not answer becomes a <see cref="NodeException"/> with one clear line.
/// </summary>
internal sealed class NodeClient : IDisposable
{
    /// <summary>How long one ordinary request may take; streams (<c>cluster tail</c>) have no limit.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly NodeCredentials _credentials;

    public NodeClient(Uri node, NodeCredentials credentials)
    {
        Node = node;
        _credentials = credentials;
        var handler = new HttpClientHandler();
        if (credentials.TrustedRoots is not null)
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => credentials.ValidateServer(certificate, errors);
        _http = new HttpClient(handler) { BaseAddress = node, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("fanout-cli", typeof(NodeClient).Assembly.GetName().Version?.ToString() ?? "0"));
    }

    /// <summary>The node's base URL, ending in '/'.</summary>
    public Uri Node { get; }

    /// <summary>GETs <paramref name="path"/> (relative to the node) and returns its JSON.</summary>
    public Task<JsonDocument> GetAsync(string path, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct);

    /// <summary>POSTs <paramref name="body"/> (serialized as JSON; none when null) and returns the answer's JSON.</summary>
    public Task<JsonDocument> PostAsync(string path, object? body, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body is null ? "{}" : JsonSerializer.Serialize(body, CliJson.Compact), Encoding.UTF8, "application/json"),
        }, ct);

    /// <summary>
    /// Opens a newline-delimited JSON stream and hands each line to <paramref name="onLine"/> until the node
    /// closes it or <paramref name="ct"/> fires (then it returns normally).
    /// </summary>
    public async Task StreamLinesAsync(string path, Func<string, Task> onLine, CancellationToken ct)
    {
        using var request = Prepare(new HttpRequestMessage(HttpMethod.Get, path));
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or TaskCanceledException)
        {
            throw NotAnswering(e);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, ct).ConfigureAwait(false);
            try
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                    if (line.Length > 0) await onLine(line).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new NodeException($"the node at {Node} closed the stream: {e.Message}", inner: e);
            }
        }
    }

    private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> create, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var request = Prepare(create());
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException)
        {
            throw NotAnswering(e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                throw new NodeException($"{Node} answered {request.RequestUri} with something that is not JSON; is it a Fanout node?");
            }
        }
    }

    // The one place every request passes.
    private HttpRequestMessage Prepare(HttpRequestMessage request)
    {
        if (_credentials.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private NodeException NotAnswering(Exception e)
    {
        if (e is HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException tls })
            return new NodeException($"the node at {Node} has a certificate this machine does not trust ({tls.Message}); " +
                                     $"pass --ca-cert or set {NodeCredentials.CaCertVariable} to the CA that signed it", inner: e);
        var reason = e switch
        {
            OperationCanceledException => $"no answer within {RequestTimeout.TotalSeconds:0} s",
            HttpRequestException { InnerException: SocketException socket } => socket.Message,
            _ => e.Message,
        };
        return new NodeException($"the node at {Node} does not answer ({reason})", inner: e);
    }

    private async Task<NodeException> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        string? error = null;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var e))
                error = e.GetString();
        }
        catch (JsonException)
        {
        }
        var what = response.RequestMessage?.RequestUri?.PathAndQuery ?? "";
        if (Denied(status) is { } denied) return new NodeException($"{denied} (HTTP {status} for {what})", status);
        return new NodeException(error is not null
            ? $"{error} (HTTP {status} for {what})"
            : $"the node answered HTTP {status} {response.ReasonPhrase} for {what}; is {Node} a Fanout node of this version?", status);
    }

    /// <summary>What to do about a refusal, in the CLI's own words (the node's would not name the CLI's options).</summary>
    private string? Denied(int status) => status switch
    {
        401 when _credentials.Token is null =>
            $"the node at {Node} needs a token: pass --token or set {NodeCredentials.TokenVariable}",
        401 => $"the node at {Node} did not accept the token (--token or {NodeCredentials.TokenVariable}); is it this node's?",
        403 => $"the token may only read (a viewer token); this needs the node's operator token",
        _ => null,
    };

    public void Dispose() => _http.Dispose();
}
