namespace Fanout;

/// <summary>
/// How one run is started: pass it to <see cref="FanoutRuntime.RunAsync{TIn,TOut}(TaskDefinition{TIn,TOut}, TIn, RunOptions, CancellationToken)"/>
/// or <see cref="FanoutClient.RunAsync{TIn,TOut}(TaskDefinition{TIn,TOut}, TIn, RunOptions, CancellationToken)"/>.
/// </summary>
public sealed record RunOptions
{
    /// <summary>The longest run id a caller may choose: it prefixes the id of every action in the run.</summary>
    public const int MaxRunIdLength = 64;

    /// <summary>
    /// The run's id, chosen by the caller; null (the default) for a new random one. A run id names one run
    /// for ever: starting the same task on the same input with an id already in use returns that run (so a
    /// start retried after a timeout or a crash never starts a second run), and starting another task or
    /// input with it fails with <see cref="RunIdConflictException"/>. Use a key from your own domain
    /// (<c>invoice-2026-11-0042</c>). 1 to <see cref="MaxRunIdLength"/> characters: ASCII letters, digits,
    /// <c>_</c> and <c>-</c>.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule <see cref="RunId"/> breaks, if it breaks one.</summary>
    public void Validate()
    {
        if (RunId is { } runId) RunIds.Validate(runId, nameof(RunId));
    }
}
