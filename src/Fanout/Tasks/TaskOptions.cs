namespace Fanout;

/// <summary>
/// How a task's actions are retried and bounded. Options set on a call override the task's, which
/// override its environment's; a property left null inherits. The defaults below apply when no level sets one.
/// </summary>
public sealed record TaskOptions
{
    /// <summary>Default retry count: 0, so an action runs once.</summary>
    public const int DefaultRetries = 0;

    /// <summary>Default wait before the first retry: 1 second.</summary>
    public static readonly TimeSpan DefaultRetryBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Default longest wait between retries: 1 minute.</summary>
    public static readonly TimeSpan DefaultMaxRetryBackoff = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times an action whose attempt threw is started again (0 or more; default 0). Attempts
    /// lost with their node (started, never reported back) count as attempts too, but are bounded by
    /// <see cref="FanoutRuntimeOptions.LostAttemptRetries"/> instead, so a crash does not fail every action
    /// in flight while a task that keeps killing its node still fails.
    /// </summary>
    public int? Retries { get; init; }

    /// <summary>
    /// How long one attempt may run before it fails with a <see cref="TimeoutException"/> and its
    /// cancellation token fires; null (the default) for no limit.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Wait before the first retry (default 1 s); each later retry waits twice as long as the one before.</summary>
    public TimeSpan? RetryBackoff { get; init; }

    /// <summary>The longest wait between two attempts (default 1 min).</summary>
    public TimeSpan? MaxRetryBackoff { get; init; }

    /// <summary>These options with every property that <paramref name="overrides"/> sets taken from it.</summary>
    public TaskOptions OverriddenBy(TaskOptions? overrides) => overrides is null
        ? this
        : new TaskOptions
        {
            Retries = overrides.Retries ?? Retries,
            Timeout = overrides.Timeout ?? Timeout,
            RetryBackoff = overrides.RetryBackoff ?? RetryBackoff,
            MaxRetryBackoff = overrides.MaxRetryBackoff ?? MaxRetryBackoff,
        };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first property with a value out of range.</summary>
    public void Validate()
    {
        if (Retries is < 0)
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "retries must be 0 or more");
        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Timeout), timeout, "timeout must be positive (or null for none)");
        if (RetryBackoff is { } backoff && backoff < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RetryBackoff), backoff, "retry backoff must not be negative");
        if (MaxRetryBackoff is { } max && max < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxRetryBackoff), max, "max retry backoff must not be negative");
    }

    internal int EffectiveRetries => Retries ?? DefaultRetries;
    internal TimeSpan EffectiveRetryBackoff => RetryBackoff ?? DefaultRetryBackoff;
    internal TimeSpan EffectiveMaxRetryBackoff => MaxRetryBackoff ?? DefaultMaxRetryBackoff;
}
