using System.Threading.RateLimiting;
using Fanout.Dashboard.Pages;
using Fanout.Http.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Dashboard;

/// <summary>
/// <c>POST /ui/login</c> per client IP address, with the token bucket <c>POST /runs</c> uses: <see cref="Tries"/> tries
/// at once, and as many again each <see cref="Period"/>. Why ten a minute: a person who mistypes a token has ten tries
/// before a wait of at most a minute, while a guesser gets 14,400 a day, nothing against a token of at least 16
/// characters (ApiSecuritySettings' minimum), and a flood is turned away before any token is hashed. Refused tries are
/// answered 429 with <c>Retry-After</c>: the login page saying when to try again for a browser, a JSON error otherwise.
/// Behind a proxy every browser shares the proxy's address, so a flood there holds every sign-in (not the pages of
/// those already signed in) for at most a minute.
/// </summary>
internal sealed class LoginRateLimit : IRateLimiterPolicy<string>
{
    public const string Policy = "fanout-login";
    public const int Tries = 10;
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    public static void Add(IServiceCollection services) => services.AddRateLimiter(limiter => limiter.AddPolicy(Policy, new LoginRateLimit()));

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.GetTokenBucketLimiter(
        httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Tries,
            TokensPerPeriod = Tries,
            ReplenishmentPeriod = Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>This policy's own answer: ASP.NET Core uses it instead of the host's (which speaks of starting runs).</summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, ct) =>
    {
        var http = rejected.HttpContext;
        var seconds = RateLimitRefusal.Mark(http.Response, rejected.Lease);
        var error = $"Too many sign-in attempts from this address: try again in {seconds} s.";
        if (!BrowserRequest.PrefersHtml(http.Request))
        {
            await http.Response.WriteAsJsonAsync(new { error }, ct).ConfigureAwait(false);
            return;
        }
        var back = BrowserRequest.LocalPath(http.Request.Query["return"], PublicPath.Of(http));
        await HtmlResponse.Page(LoginPage.Render(PageContext.For(http), back, error), StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(http).ConfigureAwait(false);
    };
}
