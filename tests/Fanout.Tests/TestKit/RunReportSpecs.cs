extern alias UsersTestKit;

using UsersTestKit::Fanout.TestKit;
using static Fanout.Tests.UserTestKit.TestKitSpecTasks;

namespace Fanout.Tests.UserTestKit;

/// <summary>Assertions on what ran pass on what a run did and fail, listing what ran, on anything else.</summary>
public sealed class RunReportSpecs : IAsyncLifetime
{
    private FanoutTestRuntime _fanout = null!;
    private RunReport _grouped = null!;
    private RunReport _retried = null!;

    public async Task InitializeAsync()
    {
        _fanout = await FanoutTestRuntime.StartAsync();
        _fanout.Stub(FlakyChild).FailsAttempts(2).Returns(x => x);
        _grouped = await _fanout.ReportAsync(await Ended(GroupedParent, 3));
        _retried = await _fanout.ReportAsync(await Ended(FlakyParent, 5));
    }

    public async Task DisposeAsync() => await _fanout.DisposeAsync();

    private async Task<RunHandle<int>> Ended(TaskDefinition<int, int> task, int input)
    {
        var run = await _fanout.RunAsync(task, input);
        await run.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return run;
    }

    [Fact]
    public void The_report_holds_every_action_and_filters_them_by_task_group_and_status()
    {
        Assert.Equal(1 + 1 + 3 + 1, _grouped.Actions.Count);
        Assert.Equal(5, _grouped.ActionsOf(Child, ActionStatus.Succeeded).Count);
        Assert.Empty(_grouped.ActionsOf(Child, ActionStatus.Failed));
        Assert.Equal(4, _grouped.ActionsIn("outer").Count);
        Assert.Equal(3, _grouped.ActionsIn("outer/inner").Count);
        Assert.Single(_grouped.ActionsIn("solo"));
        _grouped.AssertStatus(RunStatus.Succeeded);
    }

    [Fact]
    public void AssertRan_passes_on_what_ran_and_fails_listing_what_ran_otherwise()
    {
        Assert.Equal(3, _grouped.AssertRan(Child, 3, ActionStatus.Succeeded, group: "outer/inner").Count);
        _grouped.AssertRan(Child, 5);

        var wrongCount = Assert.Throws<RunAssertionException>(() => _grouped.AssertRan(Child, 4));
        Assert.Contains("Expected 4 action(s) of testkit_specs.child; found 5", wrongCount.Message);
        Assert.Contains("testkit_specs.child in 'outer/inner': 3 Succeeded", wrongCount.Message);

        var wrongStatus = Assert.Throws<RunAssertionException>(() => _grouped.AssertRan(Child, 5, ActionStatus.Failed));
        Assert.Contains("5 of them not Failed", wrongStatus.Message);

        var wrongGroup = Assert.Throws<RunAssertionException>(() => _grouped.AssertRan(Child, 3, group: "solo"));
        Assert.Contains("in group 'solo'; found 1", wrongGroup.Message);
    }

    [Fact]
    public async Task AssertAttempts_counts_each_actions_attempts()
    {
        _retried.AssertAttempts(FlakyChild, 3);
        _retried.AssertAttempts(FlakyParent, 1);

        var wrong = Assert.Throws<RunAssertionException>(() => _retried.AssertAttempts(FlakyChild, 1));
        Assert.Contains("took 3", wrong.Message);
        var none = Assert.Throws<RunAssertionException>(() => _grouped.AssertAttempts(FlakyChild, 1));
        Assert.Contains("none ran", none.Message);

        var detail = await _retried.GetDetailAsync(Assert.Single(_retried.ActionsOf(FlakyChild)));
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Succeeded], detail.Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public void AssertGroups_wants_exactly_the_groups_of_the_tree()
    {
        _grouped.AssertGroups("outer", "outer/inner", "solo", "solo/deep");
        Assert.Equal(4, _grouped.GroupTree.Find("outer")!.TotalWithNested);

        var missing = Assert.Throws<RunAssertionException>(() => _grouped.AssertGroups("outer", "outer/inner", "solo/deep"));
        Assert.Contains("the run used [outer, outer/inner, solo, solo/deep]", missing.Message);
        Assert.Throws<RunAssertionException>(() => _grouped.AssertGroups("outer", "outer/inner", "solo", "solo/deep", "extra"));
        Assert.Throws<RunAssertionException>(() => _retried.AssertGroups("outer"));
        _retried.AssertGroups();
    }

    [Fact]
    public void AssertStatus_fails_on_another_status()
    {
        var wrong = Assert.Throws<RunAssertionException>(() => _grouped.AssertStatus(RunStatus.Failed));
        Assert.Contains("Expected the run to be Failed; it is Succeeded", wrong.Message);
    }
}
