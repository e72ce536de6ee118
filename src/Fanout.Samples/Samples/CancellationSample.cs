using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>
/// Cancelling a run: every in-flight action's cancellation token fires and the actions are recorded
/// as cancelled. Also shows a task with no input (the root) and one with no output (the workers).
/// </summary>
internal static class CancellationSample
{
    public static readonly TaskEnvironment Env = new("cancellation");

    private static int _tokensFired;

    // No output: awaiting a call gives Unit.
    public static readonly TaskDefinition<int, Unit> WaitForever =
        Env.Task("wait_forever", async (int worker, CancellationToken ct) =>
        {
            using var _ = ct.Register(() => Interlocked.Increment(ref _tokensFired));
            await Task.Delay(Timeout.Infinite, ct);
        });

    // No input: run it with Unit.Value, call it with InvokeAsync().
    public static readonly TaskDefinition<Unit, int> Main =
        Env.Task("cancellation_example", async (CancellationToken ct) =>
        {
            var workers = new List<Task<Unit>>();
            for (var i = 0; i < 20; i++)
                workers.Add(WaitForever.InvokeAsync(i));
            return (await Gather(workers)).Length;
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        _tokensFired = 0;
        var run = await fanout.RunAsync(Main, Unit.Value);
        Show.Url(run);

        // Wait until the root and its 20 workers are all running, then cancel.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await run.GetSummaryAsync()).Counts.GetValueOrDefault(ActionStatus.Running) < 21 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Show.Line("cancel", $"run is now {await run.CancelAsync("the sample had seen enough")}");

        try
        {
            await run.WaitAsync();
            throw new InvalidOperationException("the cancelled run ended without a RunCancelledException");
        }
        catch (RunCancelledException e)
        {
            Show.Line("wait", $"{e.GetType().Name}: {e.Message}");
        }

        var summary = await run.GetSummaryAsync();
        Show.Line("actions", string.Join(", ", summary.Counts.Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}")));
        // The cancel reaches each worker's node just after the run records it.
        for (var i = 0; i < 40 && Volatile.Read(ref _tokensFired) < 20; i++) await Task.Delay(50);
        Show.Line("tokens", $"{Volatile.Read(ref _tokensFired)} of 20 workers saw their CancellationToken fire");
    }
}
