using System.Globalization;

namespace Fanout.Tests.Support;

/// <summary>
/// Deadlines for the specs' waits: a wait that outlives its deadline fails with a
/// <see cref="TimeoutException"/> naming what was awaited and for how long, instead of hanging the test
/// session until its limit and naming nothing. Deadlines are generous (the specs run on a loaded
/// 2-core machine): they catch a hang, never a slow run.
/// </summary>
public static class Deadlines
{
    /// <summary>For a run of a few hundred actions on an embedded runtime, the usual size of an end-to-end spec.</summary>
    public static readonly TimeSpan EmbeddedRun = TimeSpan.FromSeconds(120);

    /// <summary>Waits for a task that takes no token; at the deadline the task is left running and the wait fails.</summary>
    public static Task Within(this Task task, TimeSpan deadline, string what) =>
        Within(deadline, what, task.WaitAsync);

    /// <inheritdoc cref="Within(Task, TimeSpan, string)"/>
    public static Task<T> Within<T>(this Task<T> task, TimeSpan deadline, string what) =>
        Within(deadline, what, task.WaitAsync);

    /// <summary>Runs a wait that takes a token; the token is cancelled at the deadline and the wait fails.</summary>
    public static Task Within(TimeSpan deadline, string what, Func<CancellationToken, Task> wait) =>
        Within(deadline, what, async token =>
        {
            await wait(token);
            return true;
        });

    /// <inheritdoc cref="Within(TimeSpan, string, Func{CancellationToken, Task})"/>
    public static async Task<T> Within<T>(TimeSpan deadline, string what, Func<CancellationToken, Task<T>> wait)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            // WaitAsync as well: a wait that ignores its token still ends at the deadline.
            return await wait(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw TimedOut(deadline, what);
        }
    }

    /// <summary>
    /// Waits for the run to end, as <see cref="RunHandle{TOut}.WaitAsync"/> does, within the deadline. A
    /// run still going at the deadline fails the wait with the run's id and its action counts by status,
    /// so the failure shows where the run stopped.
    /// </summary>
    public static async Task<T> WaitAsync<T>(this RunHandle<T> run, TimeSpan deadline, string what)
    {
        try
        {
            return await Within(deadline, what, run.WaitAsync);
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message}: run {run.Id} {await DescribeAsync(run)}", timedOut);
        }
    }

    private static async Task<string> DescribeAsync<T>(RunHandle<T> run)
    {
        try
        {
            var summary = await Within(TimeSpan.FromSeconds(10), "the run's summary", run.GetSummaryAsync);
            var counts = string.Join(", ", summary.Counts.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key}"));
            return $"is {summary.Status} with {summary.TotalActions} actions ({counts})";
        }
        catch (Exception e)
        {
            return $"did not say how it stands ({e.GetType().Name}: {e.Message})";
        }
    }

    private static TimeoutException TimedOut(TimeSpan deadline, string what) =>
        new($"Timed out after {deadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s waiting for {what}");
}
