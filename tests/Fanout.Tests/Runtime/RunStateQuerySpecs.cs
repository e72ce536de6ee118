using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Runtime;

/// <summary>Paging a run's actions: totals from the counts, pages in start order, filters by status and group path.</summary>
public sealed class RunStateQuerySpecs
{
    private static readonly CallOptions Options = new(0, 0, 10, 100);

    /// <summary>A run with a root and 10 children: even ones in group a (odd ones of those in a/b), the rest ungrouped; every third failed.</summary>
    private static RunState Run()
    {
        var state = new RunState("r");
        state.Apply(new LedgerEntry(LedgerEntryKind.RunStarted, 1) { TaskName = "env.main" });
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 1) { ActionId = "r", TaskName = "env.main", InputJson = "0", Options = Options, Attempt = 1 });
        for (var i = 0; i < 10; i++)
        {
            var group = i % 2 == 1 ? null : i % 4 == 0 ? "a" : "a/b";
            state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 2)
            {
                ActionId = $"r/t#{i}", ParentId = "r", TaskName = "env.t", Group = group, InputJson = $"{i}", Options = Options,
                Attempt = i < 8 ? 1 : 0, // the last two are still queued
            });
            if (i >= 8) continue;
            state.Apply(i % 3 == 0
                ? new LedgerEntry(LedgerEntryKind.ActionFailed, 3) { ActionId = $"r/t#{i}", Error = new ErrorInfo("E", "m", null) }
                : new LedgerEntry(LedgerEntryKind.ActionSucceeded, 3) { ActionId = $"r/t#{i}", ResultJson = $"{i}" });
        }
        return state;
    }

    // Ids joined into one string: a tuple holding an array would compare the array by reference.
    private static (int Total, string Ids) Page(RunState state, ActionStatus? status = null, string? group = null, int offset = 0, int limit = 100,
        string? task = null)
    {
        var page = state.Query(new ActionQuery(status, group, offset, limit, task));
        return (page.Total, string.Join(" ", page.Actions.Select(a => a.ActionId)));
    }

    [Fact]
    public void An_unfiltered_page_is_read_by_position_in_start_order()
    {
        var state = Run();
        Assert.Equal((11, "r/t#2 r/t#3 r/t#4"), Page(state, offset: 3, limit: 3));
        Assert.Equal((11, "r/t#9"), Page(state, offset: 10, limit: 5));
        Assert.Equal((11, ""), Page(state, offset: 11));
    }

    [Fact]
    public void A_status_filter_takes_its_total_from_the_counts_and_pages_through_matches_only()
    {
        var state = Run();
        // Failed: 0, 3, 6. Queued: 8, 9. Succeeded: 1, 2, 4, 5, 7.
        Assert.Equal((3, "r/t#0 r/t#3 r/t#6"), Page(state, ActionStatus.Failed));
        Assert.Equal((5, "r/t#4 r/t#5"), Page(state, ActionStatus.Succeeded, offset: 2, limit: 2));
        Assert.Equal((2, "r/t#9"), Page(state, ActionStatus.Queued, offset: 1));
        Assert.Equal((1, "r"), Page(state, ActionStatus.Running));
    }

    [Fact]
    public void A_group_filter_includes_nested_groups_and_combines_with_status()
    {
        var state = Run();
        // Group a: 0, 4, 8; group a/b: 2, 6.
        Assert.Equal((5, "r/t#0 r/t#2 r/t#4 r/t#6 r/t#8"), Page(state, group: "a"));
        Assert.Equal((2, "r/t#2 r/t#6"), Page(state, group: "a/b"));
        Assert.Equal((2, "r/t#6"), Page(state, ActionStatus.Failed, "a", offset: 1));
        Assert.Equal((0, ""), Page(state, group: "a/c"));
    }

    [Fact]
    public void Counts_follow_every_status_change()
    {
        var summary = Run().ToSummary();
        Assert.Equal(11, summary.TotalActions);
        Assert.Equal(new Dictionary<ActionStatus, int>
        {
            [ActionStatus.Running] = 1, [ActionStatus.Succeeded] = 5, [ActionStatus.Failed] = 3, [ActionStatus.Queued] = 2,
        }, summary.Counts);
    }

    [Fact]
    public void A_task_filter_matches_the_full_name_exactly_and_combines_with_status_and_group()
    {
        var state = Run();
        Assert.Equal((10, "r/t#0 r/t#1"), Page(state, task: "env.t", limit: 2));
        Assert.Equal((1, "r"), Page(state, task: "env.main"));
        Assert.Equal((0, ""), Page(state, task: "env"));
        Assert.Equal((2, "r/t#0 r/t#6"), Page(state, ActionStatus.Failed, "a", task: "env.t"));
    }

    /// <summary>
    /// The index against a plain walk of the run in start order, on random runs: nested groups, several tasks,
    /// actions moving through every status (so the status bits and counts are changed, not only set).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_filtered_page_is_what_a_walk_of_the_run_finds(int seed)
    {
        var random = new Random(seed);
        var groups = new[] { "", "a", "a/b", "a/b/c", "ab", "d", "d/e" };
        var tasks = new[] { "env.t", "env.u", "env.t2" };
        var state = new RunState("r");
        state.Apply(new LedgerEntry(LedgerEntryKind.RunStarted, 1) { TaskName = "env.main" });
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 1) { ActionId = "r", TaskName = "env.main", InputJson = "0", Options = Options, Attempt = 1 });
        // Many groups in one run too, past what the index merges (it walks then).
        var manyGroups = seed == 3;
        for (var i = 0; i < 3_000; i++)
        {
            var group = manyGroups && i % 2 == 0 ? $"m/{i}" : groups[random.Next(groups.Length)];
            var id = $"r/{i}";
            state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 2)
            {
                ActionId = id, ParentId = "r", TaskName = tasks[random.Next(tasks.Length)], Group = group.Length == 0 ? null : group,
                InputJson = "1", Options = Options, Attempt = random.Next(2),
            });
        }
        for (var i = 0; i < 6_000; i++)
        {
            var action = state.Actions[1 + random.Next(3_000)];
            if (action.IsFinished) continue;
            var id = action.Id;
            state.Apply(random.Next(6) switch
            {
                0 => new LedgerEntry(LedgerEntryKind.AttemptStarted, 3) { ActionId = id, Attempt = action.Attempts + 1 },
                1 => new LedgerEntry(LedgerEntryKind.AttemptFailed, 3) { ActionId = id, Attempt = action.Attempts },
                2 => new LedgerEntry(LedgerEntryKind.ActionSucceeded, 3) { ActionId = id, ResultJson = "1" },
                3 => new LedgerEntry(LedgerEntryKind.ActionFailed, 3) { ActionId = id, Error = new ErrorInfo("E", "m", null) },
                4 => new LedgerEntry(LedgerEntryKind.ActionCancelled, 3) { ActionId = id },
                _ => new LedgerEntry(LedgerEntryKind.AttemptInterrupted, 3) { ActionId = id, Attempt = action.Attempts },
            });
        }

        var statuses = new ActionStatus?[] { null }.Concat(Enum.GetValues<ActionStatus>().Cast<ActionStatus?>()).ToArray();
        var groupFilters = new string?[] { null, "a", "a/b", "ab", "d/e", "x", "m" };
        var taskFilters = new string?[] { null, "env.t", "env.u", "env.main", "env" };
        foreach (var status in statuses)
        foreach (var group in groupFilters)
        foreach (var task in taskFilters)
        foreach (var (offset, limit) in new[] { (0, 1000), (0, 7), (random.Next(1_500), 50), (2_999, 10), (5_000, 10) })
        {
            var query = new ActionQuery(status, group, offset, limit, task);
            var matching = state.Actions.Where(a =>
                (status is null || a.Status == status)
                && (group is null || a.Group == group || a.Group.StartsWith(group + "/", StringComparison.Ordinal))
                && (task is null || a.TaskName == task)).ToList();
            var expected = (matching.Count, string.Join(" ", matching.Skip(offset).Take(limit).Select(a => a.Id)));
            var page = state.Query(query);
            Assert.True(expected == (page.Total, string.Join(" ", page.Actions.Select(a => a.ActionId))), $"the page for {query} differs from the walk");
        }
    }
}
