using System.Diagnostics;
using Fanout.Protocol;
using Fanout.Runtime;
using Xunit.Abstractions;

namespace Fanout.Tests.Runtime;

/// <summary>
/// A run of a million actions in memory: what one action costs and how long the pages a run page asks for take.
/// The figures are printed, never asserted (a shared 2-core machine); the pages are checked for what they hold.
/// </summary>
public sealed class RunStateAtScaleSpecs(ITestOutputHelper output)
{
    private const int Leaves = 1_000_000;
    private static readonly CallOptions Options = new(0, 0, 10, 100);

    /// <summary>
    /// The root calls a million leaves in two groups (a/b and c), of two tasks; every attempt on one of two nodes.
    /// The last 1,000 failed; the rest succeeded.
    /// </summary>
    private static RunState MillionActionRun()
    {
        var state = new RunState("rabcdefghij");
        state.Apply(new LedgerEntry(LedgerEntryKind.RunStarted, 1_700_000_000_000) { TaskName = "bench.main" });
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 1_700_000_000_000)
        {
            ActionId = "rabcdefghij", TaskName = "bench.main", InputJson = "1000000", Options = Options, Attempt = 1, NodeRef = 1, Node = "127.0.0.1:4053",
        });
        for (var i = 0; i < Leaves; i++)
        {
            var group = i % 2 == 0 ? "a/b" : "c";
            var task = i % 3 == 0 ? "bench.other" : "bench.noop";
            var id = $"rabcdefghij/{group}/{task}#{i}";
            var at = 1_700_000_000_000 + i / 20;
            state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, at)
            {
                ActionId = id, ParentId = "rabcdefghij", TaskName = task, Group = group, InputJson = $"{i}", Options = Options, Attempt = 1,
                NodeRef = 1 + i % 2, Node = i == 1 ? "127.0.0.1:4054" : null,
            });
            state.Apply(i >= Leaves - 1_000
                ? new LedgerEntry(LedgerEntryKind.ActionFailed, at + 5) { ActionId = id, Attempt = 1, Error = new ErrorInfo("System.Exception", "boom", null) }
                : new LedgerEntry(LedgerEntryKind.ActionSucceeded, at + 5) { ActionId = id, ResultJson = $"{i}" });
        }
        return state;
    }

    [Fact]
    public void Memory_per_action_and_the_pages_a_run_page_asks_for_at_a_million_actions()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var applying = Stopwatch.StartNew();
        var state = MillionActionRun();
        var applied = applying.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"applying the run's {2 * Leaves + 2:N0} entries: {applied.TotalSeconds:F2} s");
        output.WriteLine($"managed heap per action (record, id, input, result, indexes): {(after - before) / (double)state.ActionCount:F0} bytes");

        var pages = new (string What, ActionQuery Query, int Total, string FirstId)[]
        {
            ("first page", new ActionQuery(), Leaves + 1, "rabcdefghij"),
            ("deep offset 900,000", new ActionQuery(Offset: 900_000), Leaves + 1, "rabcdefghij/c/bench.noop#899999"),
            ("status failed (all at the end)", new ActionQuery(ActionStatus.Failed), 1_000, "rabcdefghij/a/b/bench.other#999000"),
            ("status failed, offset 900", new ActionQuery(ActionStatus.Failed, Offset: 900), 1_000, "rabcdefghij/a/b/bench.other#999900"),
            ("group a (nested a/b)", new ActionQuery(Group: "a"), Leaves / 2, "rabcdefghij/a/b/bench.other#0"),
            ("group c, offset 400,000", new ActionQuery(Group: "c", Offset: 400_000), Leaves / 2, "rabcdefghij/c/bench.other#800001"),
            ("task bench.other, offset 300,000", new ActionQuery(Offset: 300_000, TaskName: "bench.other"), 333_334, "rabcdefghij/a/b/bench.other#900000"),
            ("group c, task bench.other, failed", new ActionQuery(ActionStatus.Failed, "c", TaskName: "bench.other"), 167, "rabcdefghij/c/bench.other#999003"),
        };
        foreach (var (what, query, total, firstId) in pages)
        {
            state.Query(query); // warm
            var watch = Stopwatch.StartNew();
            var page = state.Query(query);
            var ms = watch.Elapsed.TotalMilliseconds;
            output.WriteLine($"{what,-36} {ms,8:F2} ms  total {page.Total,9:N0}  first {page.Actions.FirstOrDefault()?.ActionId}");
            Assert.Equal((total, firstId), (page.Total, page.Actions[0].ActionId));
        }
    }
}
