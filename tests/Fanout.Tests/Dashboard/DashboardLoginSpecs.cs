using System.Net;
using Fanout.Tests.HttpSecurity;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// A node that requires tokens, seen from a browser: the login page sets the token cookie, a page without a token
/// leads there (to a local return path only), and a write signed in by the cookie needs the page's header.
/// </summary>
public sealed class DashboardLoginSpecs(TokenRuntimeFixture fixture) : IClassFixture<TokenRuntimeFixture>, IDisposable
{
    private readonly PageClient _pages = new(fixture.Node.Url);

    private static string Cookie(string token) => "fanout_token=" + token;

    [Fact]
    public async Task A_browser_without_a_token_is_sent_to_the_login_page_and_api_callers_still_get_401()
    {
        var path = $"/ui/runs/{fixture.SucceededRunId}?status=failed";
        var page = await _pages.GetAsync(path);
        Assert.Equal(HttpStatusCode.SeeOther, page.Status);
        Assert.Equal("/ui/login?return=" + Uri.EscapeDataString(path), page.Location);

        var wrongCookie = await _pages.GetAsync("/runs/" + fixture.SucceededRunId, cookie: Cookie("not-the-token-0123456789"));
        Assert.Equal(HttpStatusCode.SeeOther, wrongCookie.Status);

        foreach (var accept in new[] { "", "application/json", "text/event-stream" })
        {
            var api = await _pages.GetAsync("/ui/runs", accept);
            Assert.True(api.Status == HttpStatusCode.Unauthorized, $"Accept '{accept}' answered {(int)api.Status}");
            Assert.Equal("Bearer", api.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task The_login_page_and_its_assets_need_no_token()
    {
        var login = await _pages.GetAsync("/ui/login?return=%2Fui%2Fcluster");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Equal("password", login.One("form#login input#token").GetAttribute("type"));
        Assert.True(login.Has("form#login button#login-submit"));
        Assert.False(login.Has("#login-error"));
        Assert.Equal(HttpStatusCode.OK, (await _pages.GetAsync(login.One("script[src]").GetAttribute("src")!, "*/*")).Status);
    }

    [Fact]
    public async Task A_right_token_sets_an_http_only_strict_cookie_and_returns_to_the_page_that_asked()
    {
        var back = $"/ui/runs/{fixture.SucceededRunId}";
        var answer = await PostLoginAsync(SecuredRuntime.ViewerToken, back);
        Assert.Equal(HttpStatusCode.SeeOther, answer.Status);
        Assert.Equal(back, answer.Location);
        var cookie = answer.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("fanout_token=" + SecuredRuntime.ViewerToken + ";", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await _pages.GetAsync(back, cookie: Cookie(SecuredRuntime.ViewerToken));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(fixture.SucceededRunId, page.Text("#run-id"));
        Assert.True(page.Has("button#logout"));
        // A viewer reads but is offered no start.
        Assert.False(page.Has("a#nav-start"));
    }

    [Fact]
    public async Task A_wrong_token_shows_the_login_page_again_with_401_and_sets_no_cookie()
    {
        var answer = await PostLoginAsync("not-the-token-0123456789", "/ui/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("That token is not valid for this node.", answer.Text("#login-error"));
        Assert.False(answer.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("not-the-token-0123456789", answer.Body);
    }

    [Fact]
    public async Task A_return_path_that_leaves_the_site_is_replaced_by_the_runs_page()
    {
        foreach (var evil in new[] { "//evil.example/x", "https://evil.example/", "/\\evil.example", "evil.example", "/\r\nSet-Cookie:x=1", "/\tevil" })
        {
            var answer = await PostLoginAsync(SecuredRuntime.OperatorToken, evil);
            Assert.Equal(HttpStatusCode.SeeOther, answer.Status);
            Assert.True(answer.Location == "/ui/runs", $"return '{evil}' led to '{answer.Location}'");
        }
        var login = await _pages.GetAsync("/ui/login?return=" + Uri.EscapeDataString("//evil.example"));
        Assert.Contains("return=%2Fui%2Fruns", login.One("form#login").GetAttribute("action"));
    }

    [Fact]
    public async Task A_write_signed_in_by_the_cookie_needs_the_page_header_and_the_operator_token()
    {
        var cancel = $"/runs/{fixture.SucceededRunId}/cancel";
        var withoutHeader = await PostAsync(cancel, Cookie(SecuredRuntime.OperatorToken), uiHeader: false);
        Assert.Equal(HttpStatusCode.Forbidden, withoutHeader.Status);
        Assert.Contains("X-Fanout-UI", withoutHeader.Body);

        var asViewer = await PostAsync(cancel, Cookie(SecuredRuntime.ViewerToken), uiHeader: true);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.Status);
        Assert.Contains("viewer token may only read", asViewer.Body);

        var asOperator = await PostAsync(cancel, Cookie(SecuredRuntime.OperatorToken), uiHeader: true);
        Assert.True(asOperator.Status == HttpStatusCode.OK, $"{(int)asOperator.Status}: {asOperator.Body}");

        // The bearer header needs no page header: the CLI and API clients are unchanged.
        using var bearer = SecuredRuntime.Request(HttpMethod.Post, _pages.Url(cancel), SecuredRuntime.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await _pages.SendAsync(bearer)).Status);
    }

    [Fact]
    public async Task Signing_out_clears_the_cookie()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _pages.Url("/ui/logout"));
        request.Headers.Add("Cookie", Cookie(SecuredRuntime.OperatorToken));
        var answer = await _pages.SendAsync(request);
        Assert.Equal(HttpStatusCode.SeeOther, answer.Status);
        var cleared = answer.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("fanout_token=;", cleared);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
    }

    private Task<Page> PostLoginAsync(string token, string returnPath)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _pages.Url("/ui/login?return=" + Uri.EscapeDataString(returnPath)))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]),
        };
        return SendAndDisposeAsync(request);
    }

    private Task<Page> PostAsync(string path, string cookie, bool uiHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _pages.Url(path));
        request.Headers.Add("Cookie", cookie);
        if (uiHeader) request.Headers.Add("X-Fanout-UI", "1");
        return SendAndDisposeAsync(request);
    }

    private async Task<Page> SendAndDisposeAsync(HttpRequestMessage request)
    {
        using (request) return await _pages.SendAsync(request);
    }

    public void Dispose() => _pages.Dispose();
}
