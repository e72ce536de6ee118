using Fanout.TestKit;
using Reports;
using Xunit;

namespace Reports.Tests;

// One runtime for every test of a class: start-up paid once. Tests of one class run one at a time in xunit.
public sealed class SharedRuntime : IAsyncLifetime
{
    public FanoutTestRuntime Fanout { get; private set; } = null!;

    public async Task InitializeAsync() => Fanout = await FanoutTestRuntime.StartAsync();

    public async Task DisposeAsync() => await Fanout.DisposeAsync();
}

public class ScoreTests(SharedRuntime shared) : IClassFixture<SharedRuntime>
{
    [Fact]
    public async Task A_score_is_the_texts_length()
    {
        shared.Fanout.ClearStubs();
        var run = await shared.Fanout.RunAsync(ReportTasks.ScoreAll, ["a", "bcd"]);

        var scores = await run.WaitAsync();
        Assert.Equal([1, 3], scores);
    }

    [Fact]
    public async Task An_empty_list_scores_nothing()
    {
        shared.Fanout.ClearStubs();
        var run = await shared.Fanout.RunAsync(ReportTasks.ScoreAll, []);

        Assert.Empty(await run.WaitAsync());
    }
}
