namespace Fanout.Tests.EndToEnd;

/// <summary>Waits for a run to end within a deadline whose failure names the run and what was waited for.</summary>
internal static class RunDeadline
{
    // Generous: the specs run on a loaded 2-core machine. It catches a hang, never a slow run.
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(120);

    public static async Task<T> EndsAsync<T>(this RunHandle<T> run, string what)
    {
        using var deadline = new CancellationTokenSource(Within);
        try
        {
            return await run.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {Within.TotalSeconds} s waiting for run {run.Id} to end: {what}");
        }
    }
}
