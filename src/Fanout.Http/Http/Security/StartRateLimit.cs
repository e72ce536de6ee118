using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Http.Security;

/// <summary>
/// <c>POST /runs</c> per client IP address (<see cref="FanoutRuntimeOptions.StartRateLimitPerSecond"/>): a token
/// bucket that holds a second's worth of starts and refills at that rate, so a burst is taken and a flood is not.
/// Refused starts are answered 429 with <c>Retry-After</c> and a JSON error.
/// </summary>
internal static class StartRateLimit
{
    public const string Policy = "fanout-start";

    public static void Add(IServiceCollection services, int perSecond) => services.AddRateLimiter(limiter =>
    {
        limiter.AddPolicy(Policy, http => RateLimitPartition.GetTokenBucketLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        limiter.OnRejected = async (rejected, ct) =>
        {
            var response = rejected.HttpContext.Response;
            var seconds = RateLimitRefusal.Mark(response, rejected.Lease);
            await response.WriteAsJsonAsync(new { error = $"too many runs started from this address (at most {perSecond} a second); retry in {seconds} s" }, ct)
                .ConfigureAwait(false);
        };
    });
}
