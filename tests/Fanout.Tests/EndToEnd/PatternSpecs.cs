using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>Every pattern of the fan-out guide, end to end on a real embedded runtime, on each journal.</summary>
public abstract class PatternSpecs(RuntimeFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly FanoutRuntime _fanout = fixture.Runtime;

    private async Task<TOut> RunAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input)
    {
        var run = await _fanout.RunAsync(task, input);
        return await run.WaitAsync(Within, $"the {task.Name} run to end");
    }

    [Fact]
    public async Task Parallel_fanout_with_Task_WhenAll_returns_every_result_in_call_order()
    {
        var run = await _fanout.RunAsync(PatternTasks.WhenAllFanout, 50);
        var result = await run.WaitAsync(Within, "the Task.WhenAll fan-out to end");

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * i), result);
        var summary = await run.GetSummaryAsync();
        Assert.Equal(RunStatus.Succeeded, summary.Status);
        Assert.Equal(51, summary.TotalActions);
        Assert.Equal(51, summary.Counts[ActionStatus.Succeeded]);
    }

    [Fact]
    public async Task Large_and_small_results_reach_the_parent_whole_and_in_call_order()
    {
        int[] sizes = [10, 100_000, 5, 20_000, 4_096, 4_097];
        Assert.Equal(sizes, await RunAsync(PatternTasks.BlockLengths, sizes));
    }

    [Fact]
    public async Task Parallel_fanout_with_Gather_returns_results_in_input_order()
    {
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * i), await RunAsync(PatternTasks.GatherFanout, 200));
    }

    [Fact]
    public async Task Sequential_fanout_runs_one_action_at_a_time_in_order()
    {
        PatternTasks.SequentialTrace.Clear();
        var result = await RunAsync(PatternTasks.SequentialFanout, 8);

        Assert.Equal(Enumerable.Range(100, 8), result);
        var expectedTrace = Enumerable.Range(0, 8).SelectMany(i => new[] { $"start {i}", $"end {i}" });
        Assert.Equal(expectedTrace, PatternTasks.SequentialTrace);
    }

    [Fact]
    public async Task Mixed_fanout_feeds_the_parallel_phase_into_the_sequential_one()
    {
        var (parallel, sequential) = await RunAsync(PatternTasks.MixedFanout, 6);

        Assert.Equal(new[] { 0, 1, 4, 9, 16, 25 }, parallel);
        Assert.Equal(new[] { "item-0", "item-1", "item-4", "item-9", "item-16", "item-25" }, sequential);
    }

    [Fact]
    public async Task Multi_phase_fanout_feeds_each_phase_into_the_next()
    {
        var result = await RunAsync(PatternTasks.MultiPhase, 30);

        Assert.Equal(Enumerable.Range(0, 30).Select(i => (i + 1) * 2 * ((i + 1) * 2)), result);
    }

    [Fact]
    public async Task Batched_fanout_gathers_each_batch_in_turn()
    {
        var result = await RunAsync(PatternTasks.Batched, (250, 100));

        Assert.Equal(Enumerable.Range(0, 250).Select(i => i * i), result);
    }

    [Fact]
    public async Task Map_keeps_at_most_its_concurrency_in_flight_and_returns_results_in_input_order()
    {
        PatternTasks.MaxRunning = 0;
        var run = await _fanout.RunAsync(PatternTasks.BoundedMap, (120, 5));
        var result = await run.WaitAsync(Within, "the bounded Map run to end");

        Assert.Equal(Enumerable.Range(0, 120).Select(i => i * 3), result);
        Assert.InRange(PatternTasks.MaxRunning, 2, 5);
        Assert.Equal(121, (await run.GetSummaryAsync()).TotalActions); // every item was an action of its own
    }

    [Fact]
    public async Task MapStream_yields_results_in_input_order()
    {
        var run = await _fanout.RunAsync(PatternTasks.StreamedMap, 100);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), await run.WaitAsync(Within, "the MapStream run to end"));
        Assert.Equal(101, (await run.GetSummaryAsync()).TotalActions);
    }

    [Fact]
    public async Task Groups_label_actions_and_nest_into_paths()
    {
        var run = await _fanout.RunAsync(PatternTasks.Grouped, 4);
        Assert.Equal(0 + 1 + 4 + 9 + (1 + 2) + 1, await run.WaitAsync(Within, "the grouped run to end"));

        var summary = await run.GetSummaryAsync();
        var groups = summary.Groups.ToDictionary(g => g.Group, g => g.Total);
        Assert.Equal(new Dictionary<string, int> { [""] = 2, ["phase-1"] = 4, ["phase-1/shard-a"] = 2 }, groups);

        var phase1 = await run.GetActionsAsync(new ActionQuery(Group: "phase-1"));
        Assert.Equal(6, phase1.Total); // the group and the group nested in it
        Assert.All(phase1.Actions, a => Assert.StartsWith("phase-1", a.Group));

        var inner = await run.GetActionsAsync(new ActionQuery(Group: "phase-1/shard-a"));
        Assert.Equal(new[] { "patterns.add_one", "patterns.add_one" }, inner.Actions.Select(a => a.TaskName));
    }

    [Fact]
    public async Task Nested_fanout_reaches_any_depth()
    {
        var run = await _fanout.RunAsync(PatternTasks.Tree, (3, 4));
        Assert.Equal(64, await run.WaitAsync(Within, "the nested tree run to end"));

        var summary = await run.GetSummaryAsync();
        Assert.Equal(1 + 4 + 16 + 64, summary.TotalActions);
    }

    [Fact]
    public async Task Tasks_without_input_or_output_run_as_actions()
    {
        var before = PatternTasks.Touched;
        var run = await _fanout.RunAsync(PatternTasks.NoInputNoOutput, 5);

        Assert.Equal(42, await run.WaitAsync(Within, "the run of tasks without input or output to end"));
        Assert.Equal(before + 5, PatternTasks.Touched);
        Assert.Equal(3, (await run.GetSummaryAsync()).TotalActions);
    }

    [Fact]
    public async Task Action_ids_are_deterministic_parent_group_task_and_position()
    {
        var run = await _fanout.RunAsync(PatternTasks.Grouped, 2);
        await run.WaitAsync(Within, "the grouped run to end");

        var ids = (await run.GetActionsAsync()).Actions.Select(a => a.ActionId).ToList();
        Assert.Equal(new[]
        {
            run.Id,
            $"{run.Id}/phase-1/patterns.square#0",
            $"{run.Id}/phase-1/patterns.square#1",
            $"{run.Id}/phase-1/shard-a/patterns.add_one#0",
            $"{run.Id}/phase-1/shard-a/patterns.add_one#1",
            $"{run.Id}/patterns.add_one#0",
        }, ids);
    }
}

[Collection(RuntimeCollection.Name)]
public sealed class PatternSpecsOnSqlite(RuntimeFixture fixture) : PatternSpecs(fixture);

[Collection(PostgresRuntimeCollection.Name)]
public sealed class PatternSpecsOnPostgres(PostgresRuntimeFixture fixture) : PatternSpecs(fixture);
