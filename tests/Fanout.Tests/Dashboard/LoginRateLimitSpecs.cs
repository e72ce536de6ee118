using System.Diagnostics;
using System.Net;
using Fanout.Dashboard;
using Fanout.Tests.HttpSecurity;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// <c>POST /ui/login</c> takes <see cref="LoginRateLimit.Tries"/> tries per client address, refilled each minute: the
/// right token works until then, and the next try is refused 429 with Retry-After even with the right token.
/// </summary>
public sealed class LoginRateLimitSpecs
{
    [Fact]
    public async Task The_eleventh_try_within_the_minute_is_refused_429_even_with_the_right_token()
    {
        await using var node = await SecuredRuntime.StartAsync(options =>
        {
            options.ApiToken = SecuredRuntime.OperatorToken;
            options.ApiViewerToken = SecuredRuntime.ViewerToken;
        });
        using var pages = new PageClient(node.Url);
        // The bucket's first refill comes a minute after its first try: every try below must come before it.
        var clock = Stopwatch.StartNew();

        for (var i = 1; i < LoginRateLimit.Tries; i++)
        {
            var wrong = await PostLoginAsync(pages, "not-the-token-0123456789");
            Assert.True(wrong.Status == HttpStatusCode.Unauthorized, $"bad try {i} answered {(int)wrong.Status}");
        }
        var right = await PostLoginAsync(pages, SecuredRuntime.OperatorToken);
        Assert.True(right.Status == HttpStatusCode.SeeOther, $"the right token as try {LoginRateLimit.Tries} answered {(int)right.Status}");
        Assert.StartsWith("fanout_token=", right.Headers.GetValues("Set-Cookie").Single());

        var refused = await PostLoginAsync(pages, SecuredRuntime.OperatorToken);
        var api = await PostLoginAsync(pages, SecuredRuntime.OperatorToken, accept: "");
        Assert.True(clock.Elapsed < LoginRateLimit.Period,
            $"the tries took {clock.Elapsed.TotalSeconds:F0} s, past the bucket's refill after {LoginRateLimit.Period.TotalSeconds:F0} s: this run says nothing");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait > TimeSpan.Zero && wait <= LoginRateLimit.Period, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.False(refused.Headers.Contains("Set-Cookie"), "a refused try set the cookie");
        // A browser is shown the login page again, saying why and when.
        Assert.Equal("text/html", refused.ContentType);
        Assert.True(refused.Has("form#login input#token"));
        Assert.Matches(@"^Too many sign-in attempts from this address: try again in \d+ s\.$", refused.Text("#login-error"));

        Assert.Equal(HttpStatusCode.TooManyRequests, api.Status);
        Assert.Equal("application/json", api.ContentType);
        Assert.Contains("Too many sign-in attempts", api.Body);
        Assert.NotNull(api.Headers.RetryAfter);

        // The pages of a browser already signed in are not limited.
        var page = await pages.GetAsync("/ui/runs", cookie: "fanout_token=" + SecuredRuntime.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    private static async Task<Page> PostLoginAsync(PageClient pages, string token, string accept = PageClient.BrowserAccept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, pages.Url("/ui/login?return=%2Fui%2Fruns"))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]),
        };
        if (accept.Length > 0) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await pages.SendAsync(request);
    }
}
