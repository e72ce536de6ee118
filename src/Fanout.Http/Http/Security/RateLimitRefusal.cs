using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http.Security;

/// <summary>What every refusal by a rate limit carries: 429 and <c>Retry-After</c> in whole seconds (at least one).</summary>
internal static class RateLimitRefusal
{
    /// <summary>Sets the status and <c>Retry-After</c> from the limiter's lease; returns the seconds, for the message.</summary>
    public static int Mark(HttpResponse response, RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
