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
    private static (int Total, string Ids) Page(RunState state, ActionStatus? status = null, string? group = null, int offset = 0, int limit = 100)
    {
        var page = state.Query(new ActionQuery(status, group, offset, limit));
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
}
