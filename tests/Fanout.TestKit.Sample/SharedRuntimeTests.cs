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
        // RunToEndAsync waits at most FanoutTestOptions.RunTimeout: a workflow that hangs fails the test, naming what it did.
        var (_, scores) = await shared.Fanout.RunToEndAsync(ReportTasks.ScoreAll, ["a", "bcd"]);

        Assert.Equal([1, 3], scores);
    }

    [Fact]
    public async Task An_empty_list_scores_nothing()
    {
        shared.Fanout.ClearStubs();
        var (_, scores) = await shared.Fanout.RunToEndAsync(ReportTasks.ScoreAll, []);

        Assert.Empty(scores);
    }
}
