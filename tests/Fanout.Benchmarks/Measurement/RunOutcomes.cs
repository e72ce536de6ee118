using System.Globalization;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// How the runs of a many-runs scenario ended, counted as their callers saw it: succeeded, never
/// started (<c>RunAsync</c> threw), failed (<c>WaitAsync</c> threw or the result was wrong), or not
/// finished by the deadline. Keeps the first error of each kind, since one message says more than a
/// count. Safe to record from many tasks at once.
/// </summary>
internal sealed class RunOutcomes(int runs)
{
    private int _succeeded;
    private int _notStarted;
    private int _failed;
    private int _unfinished;
    private string? _firstNotStartedError;
    private string? _firstFailedError;
    private string? _firstUnfinishedRunId;

    public int Runs => runs;

    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Every run that did not succeed, whatever the reason.</summary>
    public int NotSucceeded => runs - Succeeded;

    /// <summary>The first run that was still going at the deadline, to look into afterwards.</summary>
    public string? FirstUnfinishedRunId => Volatile.Read(ref _firstUnfinishedRunId);

    public void RecordSucceeded() => Interlocked.Increment(ref _succeeded);

    public void RecordNotStarted(Exception error)
    {
        Interlocked.Increment(ref _notStarted);
        Interlocked.CompareExchange(ref _firstNotStartedError, Describe(error), null);
    }

    public void RecordFailed(string error)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.CompareExchange(ref _firstFailedError, error, null);
    }

    public void RecordFailed(Exception error) => RecordFailed(Describe(error));

    /// <summary>A run still going at the deadline; <paramref name="runId"/> is null when it had not even been started by then.</summary>
    public void RecordUnfinished(string? runId)
    {
        Interlocked.Increment(ref _unfinished);
        if (runId is not null) Interlocked.CompareExchange(ref _firstUnfinishedRunId, runId, null);
    }

    /// <summary>One line for the table's note: the counts, and the first error of each kind there was.</summary>
    public string Describe(TimeSpan deadline)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{runs:N0} runs: {Succeeded:N0} succeeded, {Volatile.Read(ref _notStarted):N0} not started, " +
            $"{Volatile.Read(ref _failed):N0} failed, {Volatile.Read(ref _unfinished):N0} unfinished at the {deadline.TotalSeconds:F0} s deadline");
        if (_firstNotStartedError is { } notStarted) line += $"; first start error: {notStarted}";
        if (_firstFailedError is { } failed) line += $"; first run error: {failed}";
        return line;
    }

    /// <summary>The innermost cause's type and message, where the real reason usually is.</summary>
    private static string Describe(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is { } inner) innermost = inner;
        var text = innermost == error
            ? $"{error.GetType().Name}: {error.Message}"
            : $"{error.GetType().Name}: {error.Message} <- {innermost.GetType().Name}: {innermost.Message}";
        return text.ReplaceLineEndings(" ");
    }
}
