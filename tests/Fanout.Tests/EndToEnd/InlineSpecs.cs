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

    [Fact]
    public async Task Map_outside_a_run_keeps_its_bound_and_order()
    {
        PatternTasks.MaxRunning = 0;
        var result = await Map(PatternTasks.CountedSlowItem, Enumerable.Range(0, 40), concurrency: 3);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 3), result);
        Assert.InRange(PatternTasks.MaxRunning, 1, 3);
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
