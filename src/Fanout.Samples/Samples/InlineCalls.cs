namespace Fanout.Samples;

/// <summary>
/// Calling tasks outside any run: a task is then a plain async function call (no actions, no
/// journal), which is what keeps unit tests of tasks cheap. Children run inline too.
/// </summary>
internal static class InlineCalls
{
    public static async Task RunAsync(FanoutRuntime fanout)
    {
        Show.Line("inline", "no run: these calls are plain function calls");

        Show.Result(await ParallelFanout.Main.InvokeAsync(5), "parallel");
        Show.Result(await MultiPhaseFanout.Main.InvokeAsync(10), "phases");

        var report = await ErrorHandling.Main.InvokeAsync(14);
        var failure = report.Failed[0];
        Show.Line("errors", $"{report.Succeeded.Length} ok, {report.Failed.Length} failed; first: {failure.Type}: {failure.Message}");
    }
}
