using System.Collections.Concurrent;
using static Fanout.Workflow;

namespace Fanout.Tests.EndToEnd;

/// <summary>The fan-out guide's patterns as tasks, with probes the specs read.</summary>
public static class PatternTasks
{
    private static readonly TaskEnvironment Env = new("patterns");

    public static readonly TaskDefinition<int, int> Square = Env.Task("square", (int x) => Task.FromResult(x * x));
    public static readonly TaskDefinition<int, string> Describe = Env.Task("describe", (int x) => Task.FromResult($"item-{x}"));

    /// <summary>Children whose results are large enough to be parsed off the executor's thread, beside small ones.</summary>
    public static readonly TaskDefinition<int, string> Block = Env.Task("block", (int size) => Task.FromResult(new string('b', size)));

    public static readonly TaskDefinition<int[], int[]> BlockLengths = Env.Task("block_lengths", async (int[] sizes, CancellationToken ct) =>
        (await Task.WhenAll(sizes.Select(size => Block.InvokeAsync(size)))).Select(block => block.Length).ToArray());

    public static readonly TaskDefinition<int, int[]> WhenAllFanout = Env.Task("when_all", async (int n, CancellationToken ct) =>
    {
        var calls = new List<Task<int>>();
        for (var i = 0; i < n; i++) calls.Add(Square.InvokeAsync(i));
        return await Task.WhenAll(calls);
    });

    public static readonly TaskDefinition<int, int[]> GatherFanout = Env.Task("gather", async (int n, CancellationToken ct) =>
    {
        var calls = new List<Task<int>>();
        for (var i = 0; i < n; i++) calls.Add(Square.InvokeAsync(i));
        return await Gather(calls);
    });

    // Sequential: records when each call starts and ends, so a spec can check they never overlap.
    public static readonly ConcurrentQueue<string> SequentialTrace = new();

    public static readonly TaskDefinition<int, int> TracedStep = Env.Task("traced_step", async (int x, CancellationToken ct) =>
    {
        SequentialTrace.Enqueue($"start {x}");
        await Task.Delay(5, ct);
        SequentialTrace.Enqueue($"end {x}");
        return x + 100;
    });

    public static readonly TaskDefinition<int, int[]> SequentialFanout = Env.Task("sequential", async (int n, CancellationToken ct) =>
    {
        var results = new List<int>();
        for (var i = 0; i < n; i++) results.Add(await TracedStep.InvokeAsync(i));
        return results.ToArray();
    });

    public static readonly TaskDefinition<int, (int[] Parallel, string[] Sequential)> MixedFanout = Env.Task("mixed",
        async (int n, CancellationToken ct) =>
        {
            var parallel = await Gather(Enumerable.Range(0, n).Select(i => Square.InvokeAsync(i)));
            var sequential = new List<string>();
            foreach (var value in parallel) sequential.Add(await Describe.InvokeAsync(value));
            return (parallel, sequential.ToArray());
        });

    public static readonly TaskDefinition<int, int> AddOne = Env.Task("add_one", (int x) => Task.FromResult(x + 1));
    public static readonly TaskDefinition<int, int> Double = Env.Task("double", (int x) => Task.FromResult(x * 2));

    public static readonly TaskDefinition<int, int[]> MultiPhase = Env.Task("multi_phase", async (int n, CancellationToken ct) =>
    {
        var phase1 = await Gather(Enumerable.Range(0, n).Select(i => AddOne.InvokeAsync(i)));
        var phase2 = await Gather(phase1.Select(x => Double.InvokeAsync(x)));
        return await Gather(phase2.Select(x => Square.InvokeAsync(x)));
    });

    public static readonly TaskDefinition<(int Total, int BatchSize), int[]> Batched = Env.Task("batched",
        async ((int Total, int BatchSize) input, CancellationToken ct) =>
        {
            var all = new List<int>();
            for (var start = 0; start < input.Total; start += input.BatchSize)
            {
                var batch = Enumerable.Range(start, Math.Min(input.BatchSize, input.Total - start));
                all.AddRange(await Gather(batch.Select(i => Square.InvokeAsync(i))));
            }
            return all.ToArray();
        });

    // Bounded map: counts how many bodies run at once.
    private static int _running;
    public static int MaxRunning;

    public static readonly TaskDefinition<int, int> CountedSlowItem = Env.Task("counted_slow_item", async (int x, CancellationToken ct) =>
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref MaxRunning)) && Interlocked.CompareExchange(ref MaxRunning, now, seen) != seen)
        {
        }
        try
        {
            await Task.Delay(10, ct);
            return x * 3;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    });

    public static readonly TaskDefinition<(int Items, int Concurrency), int[]> BoundedMap = Env.Task("bounded_map",
        ((int Items, int Concurrency) input, CancellationToken ct) =>
            Map(CountedSlowItem, Enumerable.Range(0, input.Items), input.Concurrency));

    public static readonly TaskDefinition<int, int[]> StreamedMap = Env.Task("streamed_map", async (int n, CancellationToken ct) =>
    {
        var results = new List<int>();
        await foreach (var value in MapStream(Square, Enumerable.Range(0, n), concurrency: 8, ct)) results.Add(value);
        return results.ToArray();
    });

    // Groups: nested scopes label the actions started inside them.
    public static readonly TaskDefinition<int, int> Grouped = Env.Task("grouped", async (int n, CancellationToken ct) =>
    {
        int outer, inner;
        using (Group("phase-1"))
        {
            outer = (await Gather(Enumerable.Range(0, n).Select(i => Square.InvokeAsync(i)))).Sum();
            using (Group("shard-a"))
                inner = (await Gather(Enumerable.Range(0, 2).Select(i => AddOne.InvokeAsync(i)))).Sum();
        }
        var loose = await AddOne.InvokeAsync(0);
        return outer + inner + loose;
    });

    // Nested fan-out: every level fans out again until depth 0.
    public static readonly TaskDefinition<(int Depth, int Width), int> Tree = Env.Task("tree",
        async ((int Depth, int Width) node, CancellationToken ct) =>
        {
            if (node.Depth == 0) return 1;
            var children = Enumerable.Range(0, node.Width).Select(_ => Tree!.InvokeAsync((node.Depth - 1, node.Width)));
            return (await Gather(children)).Sum();
        });

    // The no-input and no-output forms.
    public static int Touched;
    public static readonly TaskDefinition<Unit, int> FortyTwo = Env.Task("forty_two", (CancellationToken ct) => Task.FromResult(42));
    public static readonly TaskDefinition<int, Unit> Touch = Env.Task("touch", (int x, CancellationToken ct) =>
    {
        Interlocked.Add(ref Touched, x);
        return Task.CompletedTask;
    });

    public static readonly TaskDefinition<int, int> NoInputNoOutput = Env.Task("no_input_no_output", async (int x, CancellationToken ct) =>
    {
        await Touch.InvokeAsync(x);
        return await FortyTwo.InvokeAsync();
    });
}
