using Fanout;
using Fanout.TestKit;
using Reports;
using Xunit;
using Xunit.Abstractions;

namespace Reports.Tests;

public class ReportWorkflowTests(ITestOutputHelper output) : FanoutTestKit(output)
{
    [Fact]
    public async Task Fetch_all_gathers_every_page()
    {
        var fetch = Stub(ReportTasks.FetchPage).Returns(page => $"page {page}");

        var (run, texts) = await RunToEndAsync(ReportTasks.FetchAll, 3);

        Assert.Equal(["page 1", "page 2", "page 3"], texts);
        Assert.Equal([1, 2, 3], fetch.Inputs.Order());
        var report = await ReportAsync(run);
        report.AssertRan(ReportTasks.FetchPage, 3, ActionStatus.Succeeded);
    }

    [Fact]
    public async Task A_failed_page_is_collected_not_thrown()
    {
        Stub(ReportTasks.FetchPage).Returns(page => page == 2 ? throw new HttpRequestException("503") : $"page {page}");

        var (run, results) = await RunToEndAsync(ReportTasks.FetchWhatWorks, 3);

        Assert.Equal(["page 1", "page 3"], results.Texts);
        Assert.Equal([2], results.FailedPages);
        var report = await ReportAsync(run);
        Assert.Equal("System.Net.Http.HttpRequestException", Assert.Single(report.ActionsOf(ReportTasks.FetchPage, ActionStatus.Failed)).Error?.Type);
    }

    [Fact]
    public async Task A_flaky_page_is_retried_with_backoff_on_the_test_clock()
    {
        var fetch = Stub(ReportTasks.FetchPage)
            .FailsAttempts(3, (page, attempt) => new HttpRequestException($"connection reset (attempt {attempt})"))
            .Returns(page => $"page {page}");

        var (run, texts) = await RunToEndAsync(ReportTasks.FetchAll, 2);

        Assert.Equal(["page 1", "page 2"], texts);
        Assert.Equal(8, fetch.CallCount);                              // 2 pages x 4 attempts
        (await ReportAsync(run)).AssertAttempts(ReportTasks.FetchPage, 4);
        // 30 s, then 60 s, then 60 s again: the backoff doubles up to MaxRetryBackoff (1 min by default).
        Assert.True(Clock.Elapsed >= TimeSpan.FromSeconds(30 + 60 + 60), $"backoff waited {Clock.Elapsed}");
    }

    [Fact]
    public async Task A_page_that_hangs_times_out_after_ten_minutes()
    {
        Stub(ReportTasks.FetchPage).Hangs();

        var run = await RunAsync(ReportTasks.FetchAll, 1);
        var failed = await Assert.ThrowsAsync<ActionFailedException>(() => run.WaitAsync());

        Assert.Contains("TimeoutException", failed.Message);
        (await ReportAsync(run)).AssertAttempts(ReportTasks.FetchPage, 6);   // the first try and 5 retries
        Assert.True(Clock.Elapsed >= TimeSpan.FromMinutes(60), $"virtual time passed: {Clock.Elapsed}");
    }

    [Fact]
    public async Task Score_all_keeps_at_most_two_scores_in_flight()
    {
        var probe = CreateTestProbe();
        SubscribeToAttempts(probe);

        var (_, scores) = await RunToEndAsync(ReportTasks.ScoreAll, ["a", "bb", "ccc", "dddd"]);

        Assert.Equal([1, 2, 3, 4], scores);
        var inFlight = 0;
        var ended = 0;
        while (ended < 4)
        {
            switch (probe.ExpectMsg<object>())
            {
                case AttemptStarted { TaskName: "reports.score" }:
                    Assert.True(++inFlight <= 2, "more than two scores in flight");
                    break;
                case AttemptEnded { TaskName: "reports.score" }:
                    inFlight--;
                    ended++;
                    break;
            }
        }
    }

    [Fact]
    public async Task Region_report_fetches_and_scores_in_each_regions_groups()
    {
        Stub(ReportTasks.FetchPage).Returns(page => new string('x', page));

        var (run, total) = await RunToEndAsync(ReportTasks.RegionReport, ["eu", "us"]);

        Assert.Equal(2 * (1 + 2), total);
        var report = await ReportAsync(run);
        report.AssertGroups("eu", "eu/fetch", "eu/score", "us", "us/fetch", "us/score");
        report.AssertRan(ReportTasks.Score, 2, ActionStatus.Succeeded, group: "us/score");
        Assert.Equal(4, report.GroupTree.Find("eu")!.TotalWithNested);
    }
}
