using System.Diagnostics;

namespace Fanout.Samples;

/// <summary>
/// The basic fan-out at scale: <c>main(r = 10,000)</c>, every call an action of its own, journaled and
/// gathered with <c>Task.WhenAll</c>. Prints the wall time from start to result and the rate.
/// </summary>
internal static class LargeFanout
{
    public const int Actions = 10_000;

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var watch = Stopwatch.StartNew();
        var run = await fanout.RunAsync(BasicFanout.Main, Actions);
        Show.Url(run);
        var result = await run.WaitAsync();
        watch.Stop();
        Show.Result(result);
        Show.Line("rate", $"{Actions:N0} actions in {watch.Elapsed.TotalSeconds:F2} s = {Actions / watch.Elapsed.TotalSeconds:N0} actions/s (start to result, journaled to SQLite)");
    }
}
