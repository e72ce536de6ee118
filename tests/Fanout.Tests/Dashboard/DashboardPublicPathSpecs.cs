using System.Net;
using Fanout.Tests.HttpSecurity;
using Fanout.Tests.Support;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// A node behind a proxy that serves it under a sub-path (HttpPublicUrl https://proxy.example/fanout/): whether the
/// proxy strips the prefix (the node is asked for /ui/runs) or forwards it (asked for /fanout/ui/runs), every URL a page
/// holds, every redirect and the login's return path stay under /fanout.
/// </summary>
public sealed class DashboardPublicPathSpecs : IAsyncLifetime
{
    private const string Prefix = "/fanout";

    /// <summary>The path the node is asked for: a stripping proxy's (no prefix), then a forwarding one's.</summary>
    public static readonly TheoryData<string> ProxyStyles = new() { "", Prefix };

    private static readonly string Cookie = "fanout_token=" + SecuredRuntime.OperatorToken;

    private SecuredRuntime _node = null!;
    private PageClient _pages = null!;
    private string _runId = "";

    public async Task InitializeAsync()
    {
        _node = await SecuredRuntime.StartAsync(options =>
        {
            options.ApiToken = SecuredRuntime.OperatorToken;
            options.ApiViewerToken = SecuredRuntime.ViewerToken;
            options.HttpPublicUrl = new Uri("https://proxy.example/fanout/");
        });
        _pages = new PageClient(_node.Url);
        var fleet = await _node.Runtime.RunAsync(DashboardTasks.Fleet, 8);
        await fleet.WaitAsync(Deadlines.EmbeddedRun, "the fleet run behind a proxy's sub-path to end");
        _runId = fleet.Id;
    }

    [Theory]
    [MemberData(nameof(ProxyStyles))]
    public async Task Every_link_form_asset_and_script_url_on_the_pages_starts_with_the_prefix(string asked)
    {
        var run = await PageAsync(asked, $"/ui/runs/{_runId}", HttpStatusCode.OK);
        var actionId = run.One("table#actions tr[data-action-id]").GetAttribute("data-action-id")!;
        var pages = new[]
        {
            "/ui/runs", $"/ui/runs/{_runId}", $"/ui/runs/{_runId}?status=failed&group=region-a", $"/runs/{_runId}",
            $"/ui/runs/{_runId}/action?id={Uri.EscapeDataString(actionId)}", "/ui/cluster", "/ui/start",
        };
        foreach (var path in pages)
        {
            var page = await PageAsync(asked, path, HttpStatusCode.OK);
            Assert.True(page.One("body").GetAttribute("data-base") == Prefix, $"{asked}{path}: body[data-base] is not {Prefix}");
            AssertEveryUrlUnderPrefix(page, asked + path);
        }
        AssertEveryUrlUnderPrefix(await PageAsync(asked, "/ui/no-such-page", HttpStatusCode.NotFound), asked + "/ui/no-such-page");

        // The fragment the script swaps into the run page: its own address and its pager's links.
        var fragment = await PageAsync(asked, $"/ui/runs/{_runId}/actions?page=1", HttpStatusCode.OK);
        Assert.Equal($"{Prefix}/ui/runs/{_runId}/actions", fragment.One("#actions-section").GetAttribute("data-fragment"));
        AssertEveryUrlUnderPrefix(fragment, asked + "/actions");

        // The script's own URLs come from data-base: none of it names /ui or /runs without it.
        var script = await _pages.GetAsync(Prefix + "/ui/assets/dashboard.js", "*/*");
        Assert.Equal(HttpStatusCode.OK, script.Status);
        Assert.DoesNotMatch("[(]\"/(ui|runs)", script.Body);
    }

    [Theory]
    [MemberData(nameof(ProxyStyles))]
    public async Task Redirects_and_the_login_s_return_path_stay_under_the_prefix(string asked)
    {
        foreach (var path in new[] { "/", "/ui" })
            Assert.Equal($"{Prefix}/ui/runs", (await PageAsync(asked, path, HttpStatusCode.Redirect)).Location);
        var action = (await PageAsync(asked, $"/ui/runs/{_runId}", HttpStatusCode.OK)).One("table#actions tr[data-action-id]").GetAttribute("data-action-id")!;
        Assert.Equal($"{Prefix}/ui/runs/{_runId}/action?id={Uri.EscapeDataString(action)}",
            (await PageAsync(asked, $"/ui/runs/{_runId}?find={Uri.EscapeDataString(action)}", HttpStatusCode.Redirect)).Location);

        // No token: to the login page, to come back to the page as the browser named it (with the prefix).
        var wanted = $"/ui/runs/{_runId}?status=failed";
        var toLogin = await _pages.GetAsync(asked + wanted);
        Assert.Equal(HttpStatusCode.SeeOther, toLogin.Status);
        Assert.Equal($"{Prefix}/ui/login?return=" + Uri.EscapeDataString(Prefix + wanted), toLogin.Location);
        var login = await _pages.GetAsync(asked + "/ui/login?return=" + Uri.EscapeDataString(Prefix + "/ui/cluster"));
        Assert.Equal($"{Prefix}/ui/login?return=" + Uri.EscapeDataString(Prefix + "/ui/cluster"), login.One("form#login").GetAttribute("action"));
        AssertEveryUrlUnderPrefix(login, asked + "/ui/login");

        var signedIn = await PostLoginAsync(asked, Prefix + "/ui/cluster");
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.Status);
        Assert.Equal(Prefix + "/ui/cluster", signedIn.Location);
        Assert.Contains($"path={Prefix}", signedIn.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        // Anywhere else, even on this host (another app beside Fanout on the proxy), is refused for the runs page.
        foreach (var elsewhere in new[] { "/ui/cluster", Prefix + "x/ui/runs", "//evil.example/fanout/", Prefix })
        {
            var answer = await PostLoginAsync(asked, elsewhere);
            Assert.True(answer.Location == Prefix + "/ui/runs", $"return '{elsewhere}' led to '{answer.Location}'");
        }

        using var logout = new HttpRequestMessage(HttpMethod.Post, _pages.Url(asked + "/ui/logout"));
        logout.Headers.Add("Cookie", Cookie);
        Assert.Equal(Prefix + "/ui/login", (await _pages.SendAsync(logout)).Location);
    }

    private async Task<Page> PageAsync(string asked, string path, HttpStatusCode expected)
    {
        var page = await _pages.GetAsync(asked + path, cookie: Cookie);
        Assert.True(page.Status == expected, $"{asked}{path} answered {(int)page.Status}, not {(int)expected}: {page.Body[..Math.Min(page.Body.Length, 500)]}");
        return page;
    }

    private async Task<Page> PostLoginAsync(string asked, string returnPath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _pages.Url(asked + "/ui/login?return=" + Uri.EscapeDataString(returnPath)))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", SecuredRuntime.OperatorToken)]),
        };
        return await _pages.SendAsync(request);
    }

    private static void AssertEveryUrlUnderPrefix(Page page, string where)
    {
        var urls = page.All("[href], [src], [action], [data-fragment]")
            .SelectMany(e => new[] { "href", "src", "action", "data-fragment" }.Select(e.GetAttribute))
            .OfType<string>().ToList();
        Assert.True(urls.Count > 0, $"{where}: no URL on the page");
        var outside = urls.Where(u => !u.StartsWith(Prefix + "/", StringComparison.Ordinal)).ToList();
        Assert.True(outside.Count == 0, $"{where}: URLs outside {Prefix}/: {string.Join(", ", outside)}");
    }

    public async Task DisposeAsync()
    {
        _pages?.Dispose();
        if (_node is not null) await _node.DisposeAsync();
    }
}
