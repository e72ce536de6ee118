using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>Retries, failures carried back with their remote details, errors as values, timeouts and cancellation, on each journal.</summary>
public abstract class FailureSpecs(RuntimeFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly FanoutRuntime _fanout = fixture.Runtime;

    [Fact]
    public async Task Action_that_fails_twice_then_succeeds_with_two_retries_succeeds_on_attempt_three()
    {
        var key = Guid.NewGuid().ToString("N");
        var run = await _fanout.RunAsync(FailureTasks.FailsTwiceThenSucceeds, key);

        Assert.Equal($"{key} ok on attempt 3", await run.WaitAsync(Within, "the run retried to attempt 3 to end"));
        var root = (await run.GetActionsAsync()).Actions.Single();
        Assert.Equal(3, root.Attempts);
        Assert.Equal(ActionStatus.Succeeded, root.Status);
        Assert.Equal("System.InvalidOperationException", root.Error?.Type); // the last failed attempt stays on record
    }

    [Fact]
    public async Task Action_that_always_fails_is_reported_after_its_budget_with_type_message_and_stack()
    {
        var key = Guid.NewGuid().ToString("N");
        var run = await _fanout.RunAsync(FailureTasks.AlwaysFails, key);

        var failure = await Assert.ThrowsAsync<ActionFailedException>(() => run.WaitAsync(Within, "the run that always fails to fail"));
        Assert.Equal(2, failure.Attempts);
        Assert.Equal(2, FailureTasks.Attempts[key]);
        Assert.Equal(run.Id, failure.ActionId);
        Assert.Equal("failures.always_fails", failure.TaskName);
        Assert.Equal("System.ArgumentException", failure.RemoteType);
        Assert.Equal($"bad value for {key}", failure.RemoteMessage);
        Assert.Contains("ThrowDeep", failure.RemoteStackTrace);
        Assert.Equal(RunStatus.Failed, run.Status);

        var summary = await run.GetSummaryAsync();
        Assert.Equal(RunStatus.Failed, summary.Status);
        Assert.Equal("System.ArgumentException", summary.Error?.Type);
    }

    [Fact]
    public async Task Gather_with_returnExceptions_returns_every_outcome_in_order()
    {
        var run = await _fanout.RunAsync(FailureTasks.CollectFailures, 7);
        var lines = await run.WaitAsync(Within, "the Gather run with returnExceptions to end");

        Assert.Equal(new[]
        {
            "failed System.IO.InvalidDataException: 0 is a multiple of 3", "ok 1", "ok 2",
            "failed System.IO.InvalidDataException: 3 is a multiple of 3", "ok 4", "ok 5",
            "failed System.IO.InvalidDataException: 6 is a multiple of 3",
        }, lines);
        var failed = await run.GetActionsAsync(new ActionQuery(Status: ActionStatus.Failed));
        Assert.Equal(3, failed.Total);
        Assert.All(failed.Actions, a => Assert.Equal("System.IO.InvalidDataException", a.Error?.Type));
    }

    [Fact]
    public async Task Gather_without_returnExceptions_throws_once_every_call_ended_with_all_failures()
    {
        var run = await _fanout.RunAsync(FailureTasks.GatherThrows, 8);

        Assert.Equal("3 of 8: 0,3,6", await run.WaitAsync(Within, "the Gather run without returnExceptions to end"));
        Assert.Equal(9, (await run.GetSummaryAsync()).TotalActions);
    }

    [Fact]
    public async Task A_timeout_fails_the_attempt_fires_its_token_and_the_retry_succeeds()
    {
        var key = Guid.NewGuid().ToString("N");
        var run = await _fanout.RunAsync(FailureTasks.SlowOnce, key);

        Assert.Equal("attempt 2", await run.WaitAsync(Within, "the run whose first attempt times out to end"));
        Assert.True(FailureTasks.TokenFiredOnTimeout.ContainsKey(key));
        var root = (await run.GetActionsAsync()).Actions.Single();
        Assert.Equal("System.TimeoutException", root.Error?.Type);
        Assert.Equal(2, root.Attempts);
    }

    [Fact]
    public async Task An_action_that_always_times_out_fails_with_a_TimeoutException()
    {
        var run = await _fanout.RunAsync(FailureTasks.AlwaysSlow, "x");

        var failure = await Assert.ThrowsAsync<ActionFailedException>(() => run.WaitAsync(Within, "the run that always times out to fail"));
        Assert.Equal("System.TimeoutException", failure.RemoteType);
        Assert.Contains("timed out after 0.2 s", failure.RemoteMessage);
    }

    [Fact]
    public async Task Cancelling_a_run_fires_every_in_flight_token_and_records_the_actions_as_cancelled()
    {
        const int children = 12;
        var startedBefore = Volatile.Read(ref FailureTasks.BlockedStarted);
        var cancelledBefore = Volatile.Read(ref FailureTasks.BlockedCancelled);
        var run = await _fanout.RunAsync(FailureTasks.FanOutAndBlock, children);
        await Eventually.True(() => Volatile.Read(ref FailureTasks.BlockedStarted) - startedBefore == children, Within,
            "every child to be running");

        Assert.Equal(RunStatus.Cancelled, await run.CancelAsync());

        await Assert.ThrowsAsync<RunCancelledException>(() => run.WaitAsync(Within, "the cancelled run to end"));
        await Eventually.True(() => Volatile.Read(ref FailureTasks.BlockedCancelled) - cancelledBefore == children, Within,
            "every child's token to fire");
        var summary = await run.GetSummaryAsync();
        Assert.Equal(RunStatus.Cancelled, summary.Status);
        Assert.Equal(children + 1, summary.Counts[ActionStatus.Cancelled]);
        Assert.Equal(RunStatus.Cancelled, await run.CancelAsync()); // cancelling again changes nothing
    }
}

[Collection(RuntimeCollection.Name)]
public sealed class FailureSpecsOnSqlite(RuntimeFixture fixture) : FailureSpecs(fixture);

[Collection(PostgresRuntimeCollection.Name)]
public sealed class FailureSpecsOnPostgres(PostgresRuntimeFixture fixture) : FailureSpecs(fixture);
