using Fanout.Tests.Support;
using static Fanout.Tests.EndToEnd.IdempotencyTasks;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// A caller-chosen run id makes a start idempotent: starting it again returns the same run and never
/// starts a second one; starting it with another task or input is refused, naming what differs. A body
/// reads its run id, action id and attempt to make its own side effects idempotent.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class IdempotentStartSpecs(RuntimeFixture fixture)
{
    private readonly FanoutRuntime _fanout = fixture.Runtime;

    private static string NewRunId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_same_run_id_started_again_returns_the_same_run_and_runs_its_root_once()
    {
        var options = new RunOptions { RunId = NewRunId("order") };

        // Two starts racing (a client retrying while its first request is still on the way) ...
        var racing = await Task.WhenAll(
            _fanout.RunAsync(CountedRoot, 21, options),
            _fanout.RunAsync(CountedRoot, 21, options));
        Assert.All(racing, run => Assert.Equal(options.RunId, run.Id));
        Assert.Equal(42, await racing[0].EndsAsync("the first start's run"));
        Assert.Equal(42, await racing[1].EndsAsync("the second start's run"));

        // ... and one after the run ended: still the same run, with its journaled result.
        var later = await _fanout.RunAsync(CountedRoot, 21, options);
        Assert.Equal(options.RunId, later.Id);
        Assert.Equal(42, await later.EndsAsync("the run started a third time"));

        Assert.Equal(1, RootExecutions[options.RunId!]);
        var actions = await later.GetActionsAsync();
        var root = Assert.Single(actions.Actions);
        Assert.Equal(options.RunId, root.ActionId);
        Assert.Equal(1, root.Attempts);
    }

    [Fact]
    public async Task The_same_run_id_with_another_input_or_task_is_refused_naming_what_the_run_holds()
    {
        var options = new RunOptions { RunId = NewRunId("invoice") };
        var run = await _fanout.RunAsync(CountedOrder, new Order("ada", 30), options);
        Assert.Equal("ada:30", await run.EndsAsync("the run the id names"));

        var otherInput = await Assert.ThrowsAsync<RunIdConflictException>(
            () => _fanout.RunAsync(CountedOrder, new Order("ada", 31), options));
        Assert.Equal(options.RunId, otherInput.RunId);
        Assert.Equal(CountedOrder.Name, otherInput.ExistingTaskName);
        Assert.Equal("""{"Customer":"ada","Amount":30}""", otherInput.ExistingInputJson);
        Assert.Contains($"Run id '{options.RunId}' is already taken by a run of '{CountedOrder.Name}'", otherInput.Message);
        Assert.Contains("""this start asked for input {"Customer":"ada","Amount":31}""", otherInput.Message);

        var otherTask = await Assert.ThrowsAsync<RunIdConflictException>(() => _fanout.RunAsync(CountedRoot, 30, options));
        Assert.Contains($"this start asked for task '{CountedRoot.Name}'", otherTask.Message);

        // Neither refused start touched the run.
        Assert.Equal(1, RootExecutions[options.RunId!]);
        var summary = await run.GetSummaryAsync();
        Assert.Equal((RunStatus.Succeeded, 1, CountedOrder.Name), (summary.Status, summary.TotalActions, summary.TaskName));
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("orders/42", "use ASCII letters, digits, '_' and '-' (found '/')")]
    [InlineData("order 42", "(found U+0020)")]
    [InlineData("order#42", "(found '#')")]
    [InlineData("ordre-ü", "(found 'ü')")]
    public async Task A_malformed_run_id_is_refused_naming_the_rule(string runId, string rule)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(
            () => _fanout.RunAsync(CountedRoot, 1, new RunOptions { RunId = runId }));
        Assert.Contains(rule, refused.Message);
        Assert.Equal(nameof(RunOptions.RunId), refused.ParamName);
        Assert.False(RootExecutions.ContainsKey(runId));
    }

    [Fact]
    public async Task A_run_id_longer_than_the_limit_is_refused_naming_the_limit()
    {
        var longest = new string('a', RunOptions.MaxRunIdLength);
        var refused = await Assert.ThrowsAsync<ArgumentException>(
            () => _fanout.RunAsync(CountedRoot, 1, new RunOptions { RunId = longest + "a" }));
        Assert.Contains($"is {RunOptions.MaxRunIdLength + 1} characters long; at most {RunOptions.MaxRunIdLength} are allowed", refused.Message);

        var asLongAsAllowed = NewRunId("long").PadRight(RunOptions.MaxRunIdLength, 'z');
        var atTheLimit = await _fanout.RunAsync(CountedRoot, 1, new RunOptions { RunId = asLongAsAllowed });
        Assert.Equal(2, await atTheLimit.EndsAsync("a run whose id is as long as allowed"));
    }

    [Fact]
    public async Task A_body_reads_its_run_id_action_id_and_attempt_and_a_retried_body_sees_attempt_two()
    {
        var runId = NewRunId("ctx");
        var run = await _fanout.RunAsync(ParentOfReporter, "label", new RunOptions { RunId = runId });

        var seen = await run.EndsAsync("a parent whose child fails its first attempt");

        var childId = $"{runId}/{ReportsContextAfterOneFailure.Name}#0";
        Assert.Equal(new SeenContext(runId, runId, 1), seen[0]);           // the root's action id is the run id
        Assert.Equal(new SeenContext(runId, childId, 2), seen[1]);         // the retry's body saw attempt 2
        Assert.Equal([(childId, 1), (childId, 2)], AttemptsSeen[runId].ToArray()); // the same action id in both attempts
    }

    [Fact]
    public async Task A_task_called_inline_has_no_task_context()
    {
        Assert.Null(TaskContext.Current);
        Assert.Equal("no context", await DescribesContext.InvokeAsync());

        var inRun = await _fanout.RunAsync(DescribesContext, Unit.Value);
        Assert.Equal($"{inRun.Id} attempt 1", await inRun.EndsAsync("a run of the task that describes its context"));
    }
}
