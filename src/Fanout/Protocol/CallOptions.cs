namespace Fanout.Protocol;

/// <summary>
/// The task options in force for one action, resolved from environment, task and call, and the node role
/// that may run it (its environment's; null for any worker).
/// </summary>
internal sealed record CallOptions(int Retries, long TimeoutMs, long BackoffMs, long MaxBackoffMs, string? Role = null)
{
    public int MaxAttempts => Retries + 1;

    /// <summary>Exponential backoff before attempt <paramref name="nextAttempt"/> (2 or later).</summary>
    public TimeSpan BackoffBefore(int nextAttempt)
    {
        var exponent = Math.Min(nextAttempt - 2, 30);
        var millis = Math.Min(BackoffMs * Math.Pow(2, exponent), MaxBackoffMs);
        return TimeSpan.FromMilliseconds(Math.Max(0, millis));
    }

    public TimeSpan? Timeout => TimeoutMs > 0 ? TimeSpan.FromMilliseconds(TimeoutMs) : null;

    public static CallOptions From(TaskOptions options, string? role) => new(
        options.EffectiveRetries,
        (long)(options.Timeout?.TotalMilliseconds ?? 0),
        (long)options.EffectiveRetryBackoff.TotalMilliseconds,
        (long)options.EffectiveMaxRetryBackoff.TotalMilliseconds,
        role);
}
