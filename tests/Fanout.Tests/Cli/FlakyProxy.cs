using System.Net;
using Fanout.Tests.Cluster.Support;

namespace Fanout.Tests.Cli;

/// <summary>
/// A forwarding HTTP proxy in front of a real node that answers some requests with 503 itself, as a node
/// does while a run moves: the CLI sees the real node's answers, with a blip where the spec puts one.
/// </summary>
public sealed class FlakyProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new();
    private readonly Uri _node;
    private readonly Func<int, bool> _fails;
    private int _requests;
    private int _failed;

    /// <param name="node">The real node's base URL.</param>
    /// <param name="fails">Given a request's number (1, 2, ...), whether to answer it 503 instead of forwarding it.</param>
    public FlakyProxy(Uri node, Func<int, bool> fails)
    {
        _node = node;
        _fails = fails;
        Url = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public int Failed => Volatile.Read(ref _failed);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var response = context.Response;
            if (_fails(Interlocked.Increment(ref _requests)))
            {
                Interlocked.Increment(ref _failed);
                response.StatusCode = 503;
                await response.OutputStream.WriteAsync("{\"error\":\"the run did not answer (moving)\"}"u8.ToArray());
                continue;
            }
            using var forwarded = await _http.GetAsync(new Uri(_node, context.Request.Url!.PathAndQuery.TrimStart('/')));
            response.StatusCode = (int)forwarded.StatusCode;
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(await forwarded.Content.ReadAsByteArrayAsync());
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _http.Dispose();
    }
}
