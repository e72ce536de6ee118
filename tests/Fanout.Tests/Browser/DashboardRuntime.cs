using Fanout.Tests.HttpSecurity;

namespace Fanout.Tests.Browser;

/// <summary>
/// An embedded runtime on a temporary SQLite file serving the run pages, with the browser tasks defined before it
/// starts (so its start page lists them), and the pages' addresses on it.
/// </summary>
public sealed class DashboardRuntime : IAsyncDisposable
{
    private DashboardRuntime(SecuredRuntime node) => Node = node;

    public SecuredRuntime Node { get; }

    public FanoutRuntime Runtime => Node.Runtime;

    /// <summary>Open on loopback (no token), as a developer's runtime is.</summary>
    public static Task<DashboardRuntime> OpenAsync() => StartAsync(_ => { });

    /// <summary>On loopback with an operator token and a viewer token (<see cref="SecuredRuntime.OperatorToken"/>, <see cref="SecuredRuntime.ViewerToken"/>).</summary>
    public static Task<DashboardRuntime> WithTokensAsync() => StartAsync(options =>
    {
        options.ApiToken = SecuredRuntime.OperatorToken;
        options.ApiViewerToken = SecuredRuntime.ViewerToken;
    });

    /// <summary>Open on loopback with <paramref name="publicUrl"/> as its HttpPublicUrl, as a node behind a proxy is.</summary>
    public static Task<DashboardRuntime> BehindProxyAsync(Uri publicUrl) => StartAsync(options => options.HttpPublicUrl = publicUrl);

    private static async Task<DashboardRuntime> StartAsync(Action<FanoutRuntimeOptions> configure)
    {
        BrowserTasks.Define();
        return new DashboardRuntime(await SecuredRuntime.StartAsync(configure));
    }

    /// <summary>The absolute address of a page, from a path such as <c>ui/runs</c>.</summary>
    public string Page(string path) => new Uri(Node.Url, path).ToString();

    public string RunPage(string runId) => Page($"ui/runs/{Uri.EscapeDataString(runId)}");

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
