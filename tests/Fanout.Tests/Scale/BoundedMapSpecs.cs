using Fanout.Tests.Support;
using static Fanout.Workflow;

namespace Fanout.Tests.Scale;

/// <summary>The map helper inside a run: never more calls in flight than its bound, and its stream holds only about that many.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class BoundedMapSpecs(RuntimeFixture fixture)
{
    private const int Concurrency = 16;
    private static readonly TaskEnvironment Env = new("bounded_map");

    private static readonly ConcurrencyGauge MapGauge = new();
    private static readonly TaskDefinition<int, int> Slow = Env.Task("slow", async (int x) =>
    {
        using var _ = MapGauge.Enter();
        await Task.Delay(2);
        return x * 2;
    });

    private static readonly TaskDefinition<int, int[]> MapAll = Env.Task("map_all",
        (int n) => Map(Slow, Enumerable.Range(0, n), Concurrency));

    private static readonly ConcurrencyGauge StreamGauge = new();
    private static int _streamStarted;
    private static readonly TaskDefinition<int, int> Counted = Env.Task("counted", async (int x) =>
    {
        Interlocked.Increment(ref _streamStarted);
        using var _ = StreamGauge.Enter();
        await Task.Yield();
        return x;
    });

    /// <summary>Reads the stream slowly and returns the most calls ever started ahead of what it had read.</summary>
    private static readonly TaskDefinition<int, int> StreamSlowly = Env.Task("stream_slowly", async (int n) =>
    {
        var read = 0;
        var mostAhead = 0;
        await foreach (var value in MapStream(Counted, Enumerable.Range(0, n), Concurrency))
        {
            if (value != read) throw new InvalidOperationException($"item {read} came as {value}");
            read++;
            mostAhead = Math.Max(mostAhead, Volatile.Read(ref _streamStarted) - read);
            if (read % 25 == 0) await Task.Delay(20); // a slow reader: the stream must wait for it
        }
        return mostAhead;
    });

    [Fact]
    public async Task Map_never_has_more_calls_running_than_its_concurrency()
    {
        var run = await fixture.Runtime.RunAsync(MapAll, 300);
        var results = await run.WaitAsync(Deadlines.EmbeddedRun, "the Map run to end");

        Assert.Equal(Enumerable.Range(0, 300).Select(x => x * 2), results);
        Assert.Equal(300, MapGauge.Entered);
        Assert.InRange(MapGauge.Peak, 2, Concurrency); // ran in parallel, never past the bound
    }

    [Fact]
    public async Task MapStream_starts_calls_only_as_its_reader_takes_results()
    {
        var run = await fixture.Runtime.RunAsync(StreamSlowly, 300);
        var mostAhead = await run.WaitAsync(Deadlines.EmbeddedRun, "the MapStream run to end");

        Assert.Equal(300, Volatile.Read(ref _streamStarted));
        Assert.InRange(StreamGauge.Peak, 1, Concurrency);
        // In flight plus what the stream buffers for the reader: a small multiple of the bound, not the 300 items.
        Assert.InRange(mostAhead, 1, 4 * Concurrency);
    }
}
