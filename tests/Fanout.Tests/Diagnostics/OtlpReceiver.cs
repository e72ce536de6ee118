using System.Collections.Concurrent;
using System.Net;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// A loopback OTLP/HTTP endpoint: keeps the body of every export request by path (<c>/v1/traces</c>,
/// <c>/v1/metrics</c>) and answers 200, as a collector does. Protobuf keeps strings as UTF-8 bytes, so a
/// spec can look for a run id or an instrument name in what arrived.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _requests = new();

    public OtlpReceiver()
    {
        Port = Cluster.Support.FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Whether a request to <paramref name="path"/> carried <paramref name="text"/> (as UTF-8 bytes).</summary>
    public bool Received(string path, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return _requests.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(needle) >= 0);
    }

    public string Describe() => string.Join(", ", _requests.GroupBy(r => r.Path).Select(g => $"{g.Key} x{g.Count()}"));

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _requests.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
