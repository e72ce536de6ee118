using System.Collections.Concurrent;
using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>
/// Task options: retries with exponential backoff, a timeout, and overriding them for one call.
/// Options set on a call override the task's, which override its environment's defaults.
/// </summary>
internal static class TaskOptionsSample
{
    // Every task of this environment gives up on an attempt after 30 seconds unless it says otherwise.
    public static readonly TaskEnvironment Env = new("task_options", new TaskOptions { Timeout = TimeSpan.FromSeconds(30) });

    // How many times each input was tried, so the flaky task can fail its first two attempts.
    private static readonly ConcurrentDictionary<int, int> Tries = new();

    public static readonly TaskDefinition<int, string> FlakyFetch = Env.Task(
        "flaky_fetch",
        (int page) =>
        {
            var attempt = Tries.AddOrUpdate(page, 1, (_, n) => n + 1);
            return attempt <= 2
                ? throw new HttpRequestException($"page {page}: connection reset (attempt {attempt})")
                : Task.FromResult($"page {page} fetched on attempt {attempt}");
        },
        // Up to 3 retries, waiting 50 ms, then 100 ms, then 200 ms (never more than 1 s).
        new TaskOptions { Retries = 3, RetryBackoff = TimeSpan.FromMilliseconds(50), MaxRetryBackoff = TimeSpan.FromSeconds(1) });

    public static readonly TaskDefinition<int, string> SlowCall = Env.Task(
        "slow_call",
        async (int seconds, CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), ct); // the token fires when the timeout is reached
            return $"slept {seconds} s";
        },
        new TaskOptions { Timeout = TimeSpan.FromMilliseconds(300) });

    public static readonly TaskDefinition<int, string[]> Main =
        Env.Task("task_options_example", async (int pages, CancellationToken ct) =>
        {
            var calls = new List<Task<string>>();
            for (var page = 0; page < pages; page++)
                calls.Add(FlakyFetch.InvokeAsync(page));
            calls.Add(FlakyFetch.InvokeAsync(100, new TaskOptions { Retries = 0 })); // this call only: no retries
            calls.Add(SlowCall.InvokeAsync(5));                                       // times out after 300 ms

            var outcomes = await Gather(calls, returnExceptions: true);
            return outcomes
                .Select(o => o.IsSuccess ? o.Value : Describe(o.Exception!))
                .ToArray();
        });

    private static string Describe(Exception error) => error is ActionFailedException failed
        ? $"{failed.TaskName} failed after {failed.Attempts} attempt(s): {failed.RemoteType}: {failed.RemoteMessage}"
        : $"failed: {error.Message}";

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        Tries.Clear();
        var run = await fanout.RunAsync(Main, 3);
        Show.Url(run);
        Show.Lines(await run.WaitAsync());
    }
}
