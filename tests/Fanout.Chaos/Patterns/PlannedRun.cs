namespace Fanout.Chaos.Patterns;

/// <summary>
/// One run the harness is about to start: its pattern and shape, the bodies it should execute and how
/// often (the plan the execution log is compared with), and how to start it.
/// </summary>
internal sealed class PlannedRun
{
    public required string Pattern { get; init; }

    /// <summary>The run's key: the root of every body key in it.</summary>
    public required string Key { get; init; }

    /// <summary>Its size, for the report (e.g. "width 80, leaves up to 300 ms").</summary>
    public required string Shape { get; init; }

    /// <summary>How many times each body (task, key) should run when nothing is lost.</summary>
    public required IReadOnlyDictionary<(string Task, string Key), int> Bodies { get; init; }

    /// <summary>Starts the run under the given run id (so a start sent again finds the same run); the handle's check compares its result with the expected one.</summary>
    public required Func<FanoutClient, string, CancellationToken, Task<StartedRun>> StartAsync { get; init; }
}

/// <summary>A started run: its id, its summary for the progress watch, and its end.</summary>
internal sealed class StartedRun(string runId, Func<CancellationToken, Task<RunSummary>> summary, Func<CancellationToken, Task<string?>> finish)
{
    public string RunId { get; } = runId;

    /// <summary>The run's counts now.</summary>
    public Task<RunSummary> SummaryAsync(CancellationToken cancellationToken) => summary(cancellationToken);

    /// <summary>Waits for the run to end; null when it ended with exactly the expected result, else what was wrong.</summary>
    public Task<string?> FinishAsync(CancellationToken cancellationToken) => finish(cancellationToken);
}
