using static Fanout.Workflow;

namespace Fanout.Tests.EndToEnd;

/// <summary>Outside any run, tasks are plain function calls: users' unit tests need no runtime.</summary>
public sealed class InlineSpecs
{
    [Fact]
    public async Task A_task_called_outside_a_run_runs_inline()
    {
        Assert.Equal(49, await PatternTasks.Square.InvokeAsync(7));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * i), await PatternTasks.GatherFanout.InvokeAsync(10));
    }

    // Its own counters: the end-to-end map spec counts PatternTasks' bodies at the same time.
    private static int _running;
    private static int _maxRunning;
    private static readonly object CountedItemLock = new();

    private static readonly TaskDefinition<int, int> CountedItem = new TaskEnvironment("inline_specs").Task("counted_item",
        async (int x, CancellationToken ct) =>
        {
            var now = Interlocked.Increment(ref _running);
            lock (CountedItemLock) _maxRunning = Math.Max(_maxRunning, now);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref _running);
            return x * 3;
        });

    [Fact]
    public async Task Map_outside_a_run_keeps_its_bound_and_order()
    {
        var result = await Map(CountedItem, Enumerable.Range(0, 40), concurrency: 3);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 3), result);
        Assert.Equal(3, _maxRunning); // the bound is reached and never passed
    }

    [Fact]
    public async Task The_README_unit_test_example_holds()
    {
        var results = await Fanout.Samples.MultiPhaseFanout.Main.InvokeAsync(3);
        Assert.Equal(new[] { 0, 3, 8 }, results);
    }

    [Fact]
    public async Task A_body_that_throws_before_returning_a_task_fails_through_the_task()
    {
        var env = new TaskEnvironment("inline_throw");
        var throwsEagerly = env.Task("eager", (int x) => x == 1 ? throw new InvalidOperationException("eager") : Task.FromResult(x));

        var outcomes = await Gather([throwsEagerly.InvokeAsync(0), throwsEagerly.InvokeAsync(1)], returnExceptions: true);

        Assert.True(outcomes[0].IsSuccess);
        Assert.IsType<InvalidOperationException>(outcomes[1].Exception);
    }

    [Fact]
    public async Task Groups_nest_and_restore()
    {
        Assert.Null(CurrentGroup);
        using (Group("a"))
        {
            using (Group("b")) Assert.Equal("a/b", CurrentGroup);
            Assert.Equal("a", CurrentGroup);
            await Task.Yield();
            Assert.Equal("a", CurrentGroup);
        }
        Assert.Null(CurrentGroup);
        Assert.Throws<ArgumentException>(() => Group("not/allowed"));
    }
}
