using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fanout.Tests.Support;

namespace Fanout.Tests.Browser.Firefox;

/// <summary>
/// Debian's Firefox ESR (/usr/bin/firefox-esr), headless, steered over WebDriver BiDi, the W3C protocol Firefox speaks
/// itself once started with <c>--remote-debugging-port</c>: no geckodriver (not packaged here) and no Playwright build of
/// Firefox (which cannot be downloaded here). Only what the Firefox specs use: navigate, evaluate a script in the page,
/// take a screenshot. Each instance is one browser with a fresh profile, one tab, and one BiDi session.
/// </summary>
public sealed class FirefoxBrowser : IAsyncDisposable
{
    public const string FirefoxPath = "/usr/bin/firefox-esr";

    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandWithin = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;
    private string _context = "";

    private FirefoxBrowser(Process process, TempDirectory profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts Firefox and opens a BiDi session on its one tab.</summary>
    public static async Task<FirefoxBrowser> StartAsync()
    {
        if (!File.Exists(FirefoxPath))
        {
            throw new InvalidOperationException(
                $"The Firefox specs need Debian's firefox-esr at {FirefoxPath} (apt-get install firefox-esr; tests/run.sh installs it as root).");
        }
        var profile = new TempDirectory();
        var start = new ProcessStartInfo(FirefoxPath)
        {
            ArgumentList = { "--headless", "--no-remote", "--remote-debugging-port=0", "--profile", profile.Path, "about:blank" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // Its own temp folder, so nothing it leaves behind outlives the profile.
        start.Environment["TMPDIR"] = profile.Path;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{FirefoxPath} did not start");
        var browser = new FirefoxBrowser(process, profile);
        try
        {
            var endpoint = await browser.ListeningAtAsync();
            await browser._socket.ConnectAsync(new Uri(endpoint + "/session"), CancellationToken.None).WaitAsync(StartWithin);
            browser._receiving = Task.Run(browser.ReceiveAsync);
            await browser.SendAsync("session.new", new JsonObject { ["capabilities"] = new JsonObject() });
            var tree = await browser.SendAsync("browsingContext.getTree", new JsonObject { ["maxDepth"] = 0 });
            browser._context = tree.GetProperty("contexts")[0].GetProperty("context").GetString()!;
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in the tab and waits until the page has loaded.</summary>
    public Task NavigateAsync(string url) =>
        SendAsync("browsingContext.navigate", new JsonObject { ["context"] = _context, ["url"] = url, ["wait"] = "complete" });

    /// <summary>
    /// Runs <paramref name="expression"/> in the page (awaiting it if it is a promise) and gives back its value as JSON text
    /// (<c>JSON.stringify</c> of it), or throws with the page's exception.
    /// </summary>
    public async Task<string> EvaluateAsync(string expression)
    {
        var reply = await SendAsync("script.evaluate", new JsonObject
        {
            ["expression"] = $"(async () => JSON.stringify(await ({expression})))()",
            ["target"] = new JsonObject { ["context"] = _context },
            ["awaitPromise"] = true,
        });
        if (reply.GetProperty("type").GetString() == "exception")
            throw new InvalidOperationException($"the page threw evaluating {expression}: {reply.GetProperty("exceptionDetails").GetProperty("text").GetString()}");
        var result = reply.GetProperty("result");
        return result.TryGetProperty("value", out var value) ? value.GetString() ?? "null" : "undefined";
    }

    /// <summary>Polls <paramref name="condition"/> (a script expression) until it is true, or fails naming <paramref name="what"/> and the last value.</summary>
    public async Task WaitUntilAsync(string condition, string what, string? show = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await EvaluateAsync($"!!({condition})") == "true") return;
            if (deadline.Elapsed > BrowserTimeouts.Expect)
            {
                var seen = show is null ? "" : $"; the page shows {await EvaluateAsync(show)}";
                throw new TimeoutException($"Timed out after {BrowserTimeouts.Expect.TotalSeconds:0} s in Firefox waiting for {what}{seen}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>A PNG of what the tab shows now.</summary>
    public async Task<byte[]> ScreenshotAsync() =>
        Convert.FromBase64String((await SendAsync("browsingContext.captureScreenshot", new JsonObject { ["context"] = _context }))
            .GetProperty("data").GetString()!);

    /// <summary>The page's URL, as the page sees it.</summary>
    public async Task<string> UrlAsync() => JsonSerializer.Deserialize<string>(await EvaluateAsync("location.href"))!;

    private async Task<string> ListeningAtAsync()
    {
        // Firefox says where it listens on standard error: "WebDriver BiDi listening on ws://127.0.0.1:PORT".
        const string Marker = "WebDriver BiDi listening on ";
        var said = new StringBuilder();
        using var deadline = new CancellationTokenSource(StartWithin);
        try
        {
            while (await _process.StandardError.ReadLineAsync(deadline.Token) is { } line)
            {
                said.AppendLine(line);
                var at = line.IndexOf(Marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    // Drained from now on, so Firefox never blocks on a full pipe.
                    _ = _process.StandardError.ReadToEndAsync();
                    _ = _process.StandardOutput.ReadToEndAsync();
                    return line[(at + Marker.Length)..].Trim();
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Firefox did not say within {StartWithin.TotalSeconds:0} s where its WebDriver BiDi listens; it said: {said}");
        }
        throw new InvalidOperationException($"Firefox exited before it listened for WebDriver BiDi; it said: {said}");
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, _closing.Token);
        try
        {
            return await answer.Task.WaitAsync(CommandWithin);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Firefox did not answer {method} within {CommandWithin.TotalSeconds:0} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var part = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                Answer(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closing, or Firefox went away: whoever still waits is told below.
        }
        foreach (var waiting in _pending.Values) waiting.TrySetException(new InvalidOperationException("Firefox's WebDriver BiDi connection closed"));
    }

    /// <summary>A reply to a command completes it; events (no id) are not what these specs read.</summary>
    private void Answer(JsonElement message)
    {
        if (!message.TryGetProperty("id", out var idProperty) || idProperty.ValueKind != JsonValueKind.Number) return;
        if (!_pending.TryGetValue(idProperty.GetInt32(), out var waiting)) return;
        if (message.TryGetProperty("error", out var error))
        {
            var text = message.TryGetProperty("message", out var said) ? said.GetString() : "";
            waiting.TrySetException(new InvalidOperationException($"Firefox refused a command: {error.GetString()}: {text}"));
        }
        else waiting.TrySetResult(message.GetProperty("result"));
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        await _receiving.ConfigureAwait(false);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _profile.Dispose();
        _closing.Dispose();
    }
}
