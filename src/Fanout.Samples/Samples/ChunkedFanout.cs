using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>
/// Chunked, bounded fanout: <c>Map</c> streams 10,000 items through a task with at most 500 calls in
/// flight and returns the results in input order. <c>MapStream</c> hands them over as they are ready,
/// so the parent never holds them all.
/// </summary>
internal static class ChunkedFanout
{
    public static readonly TaskEnvironment Env = new("chunked_fanout");

    public static readonly TaskDefinition<int, long> Square =
        Env.Task("square", (int x) => Task.FromResult((long)x * x));

    public static readonly TaskDefinition<int, long[]> Main =
        Env.Task("chunked_fanout_example", async (int totalSize, CancellationToken ct) =>
            await Map(Square, Enumerable.Range(0, totalSize), concurrency: 500));

    public static readonly TaskDefinition<int, (int Count, long Sum)> StreamedSum =
        Env.Task("streamed_sum", async (int totalSize, CancellationToken ct) =>
        {
            var (count, sum) = (0, 0L);
            await foreach (var square in MapStream(Square, Enumerable.Range(0, totalSize), concurrency: 500, ct))
            {
                count++;
                sum += square;
            }
            return (count, sum);
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 10_000);
        Show.Url(run);
        Show.Result(await run.WaitAsync(), "Map");

        var streamed = await fanout.RunAsync(StreamedSum, 10_000);
        Show.Url(streamed);
        var (count, sum) = await streamed.WaitAsync();
        Show.Line("MapStream", $"{count:N0} squares streamed, sum {sum:N0}");
    }
}
