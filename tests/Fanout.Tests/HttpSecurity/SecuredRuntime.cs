using System.Net.Http.Headers;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// A spec's own embedded runtime with its HTTP API set up as the spec says (tokens, anonymous, HTTPS, limits), every
/// log line captured, and the address to call it on: bound to 0.0.0.0 ("beyond loopback") it is called on 127.0.0.1.
/// </summary>
public sealed class SecuredRuntime : IAsyncDisposable
{
    public const string OperatorToken = "operator-token-0123456789abcdef";
    public const string ViewerToken = "viewer-token-0123456789abcdef";

    private readonly TestJournal _journal;

    private SecuredRuntime(TestJournal journal, FanoutRuntime runtime, CapturedLog log, FanoutRuntimeOptions options)
    {
        _journal = journal;
        Runtime = runtime;
        Log = log;
        Options = options;
        // Where it listens, not its HttpPublicUrl (a proxy's address, when a spec sets one).
        var url = runtime.ListeningUrl!;
        Url = new UriBuilder(url) { Host = "127.0.0.1" }.Uri;
    }

    public FanoutRuntime Runtime { get; }

    public CapturedLog Log { get; }

    public FanoutRuntimeOptions Options { get; }

    /// <summary>The API's base URL on 127.0.0.1, whatever address it is bound to and whatever public URL it has.</summary>
    public Uri Url { get; }

    public static async Task<SecuredRuntime> StartAsync(Action<FanoutRuntimeOptions> configure)
    {
        var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var log = new CapturedLog();
        var options = journal.Options();
        options.LoggerFactory = log.Factory;
        configure(options);
        try
        {
            return new SecuredRuntime(journal, await FanoutRuntime.StartEmbeddedAsync(options), log, options);
        }
        catch
        {
            await journal.DisposeAsync();
            throw;
        }
    }

    /// <summary>Beyond loopback with both tokens.</summary>
    public static Task<SecuredRuntime> WithTokensAsync(Action<FanoutRuntimeOptions>? more = null) => StartAsync(options =>
    {
        options.HttpHost = "0.0.0.0";
        options.ApiToken = OperatorToken;
        options.ApiViewerToken = ViewerToken;
        more?.Invoke(options);
    });

    public static HttpRequestMessage Request(HttpMethod method, Uri url, string? token, string? json = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await _journal.DisposeAsync();
    }
}
