using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Runtime;

/// <summary>
/// A run's groups as the run page's folders: counted with their nested groups as actions change, and bounded with the
/// summary's group list so that both fit one message between nodes however many groups, and however long their names.
/// </summary>
public sealed class GroupFoldersSpecs() : TestKit(Actors.ActorSpecConfig.Hocon)
{
    private static readonly CallOptions Options = new(0, 0, 10, 100);

    private static RunState Started()
    {
        var state = new RunState("r");
        state.Apply(new LedgerEntry(LedgerEntryKind.RunStarted, 1) { TaskName = "env.main" });
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 1) { ActionId = "r", TaskName = "env.main", InputJson = "0", Options = Options, Attempt = 1 });
        return state;
    }

    private static void Request(RunState state, string id, string? group, int attempt = 1) =>
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 2)
        {
            ActionId = id, ParentId = "r", TaskName = "env.t", Group = group, InputJson = "1", Options = Options, Attempt = attempt,
        });

    private static string Counts(GroupFolderView folder) =>
        string.Join(" ", folder.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));

    [Fact]
    public void A_folder_counts_its_own_actions_and_its_nested_groups_and_follows_every_status_change()
    {
        var state = Started();
        Request(state, "r/t#0", "a");
        Request(state, "r/t#1", "a/b");
        Request(state, "r/t#2", "a/b");
        Request(state, "r/t#3", "x/y/z", attempt: 0);
        Request(state, "r/t#4", null);
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionSucceeded, 3) { ActionId = "r/t#1", ResultJson = "1" });
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionFailed, 3) { ActionId = "r/t#2", Error = new ErrorInfo("E", "m", null) });

        var tree = state.ToGroupTree();

        Assert.Equal(2, tree.TopLevelFolders);
        Assert.Equal(["a", "a/b", "x", "x/y", "x/y/z"], tree.Folders.Select(f => f.Path));
        var byPath = tree.Folders.ToDictionary(f => f.Path);
        Assert.Equal((3, "Running=1 Succeeded=1 Failed=1", 1), (byPath["a"].Total, Counts(byPath["a"]), byPath["a"].Subfolders));
        Assert.Equal((2, "Succeeded=1 Failed=1", 0), (byPath["a/b"].Total, Counts(byPath["a/b"]), byPath["a/b"].Subfolders));
        Assert.Equal((1, "Queued=1"), (byPath["x"].Total, Counts(byPath["x"])));
        Assert.Equal((1, "Queued=1"), (byPath["x/y/z"].Total, Counts(byPath["x/y/z"])));
    }

    [Fact]
    public void A_run_with_a_group_per_item_shows_a_bounded_tree_whose_counts_still_add_up_every_group()
    {
        var state = Started();
        for (var i = 0; i < 5_000; i++) Request(state, $"r/t#{i}", $"batch/item-{i}");
        for (var i = 0; i < 5_000; i += 2) state.Apply(new LedgerEntry(LedgerEntryKind.ActionSucceeded, 3) { ActionId = $"r/t#{i}", ResultJson = "1" });

        var tree = state.ToGroupTree();

        var batch = tree.Folders[0];
        Assert.Equal(("batch", 5_000, "Running=2500 Succeeded=2500", 5_000), (batch.Path, batch.Total, Counts(batch), batch.Subfolders));
        Assert.Equal(1 + GroupTreeLimits.MaxChildren, tree.Folders.Count);
        Assert.Equal("batch/item-199", tree.Folders[^1].Path);
    }

    [Fact]
    public void Groups_nested_twenty_thousand_deep_are_made_counted_and_shown_without_recursion()
    {
        // A stack frame per level would overflow the run actor's thread (a crash no catch can stop) long before this.
        var folders = new GroupFolders();
        var path = string.Join('/', Enumerable.Repeat("a", 20_000));
        var deepest = folders.For(path)!;
        GroupFolders.Count(deepest, (int)ActionStatus.Succeeded, 1);
        Assert.Same(deepest, folders.For(path));

        var tree = folders.View(GroupTreeLimits.MaxFolders, GroupTreeLimits.MaxChildren, GroupTreeLimits.MaxPathChars);

        Assert.Equal(1, tree.TopLevelFolders);
        Assert.Equal(("a", 1, 1), (tree.Folders[0].Path, tree.Folders[0].Total, tree.Folders[0].Subfolders));
        // Each level's path is longer than the last: the paths' budget, not the folder count, ends the view.
        Assert.InRange(tree.Folders.Count, 100, GroupTreeLimits.MaxFolders - 1);
        Assert.True(tree.Folders.Sum(f => f.Path.Length) <= GroupTreeLimits.MaxPathChars);
        Assert.All(tree.Folders, f => Assert.Equal(1, f.Total));
    }

    [Fact]
    public void The_summary_lists_the_first_thousand_groups_and_counts_the_rest()
    {
        var state = Started();
        for (var i = 0; i < 2_500; i++) Request(state, $"r/t#{i}", $"item-{i}");

        var summary = state.ToSummary();

        // The root's own "no group" first, then the items in the order they were first used.
        Assert.Equal(RunSummary.MaxListedGroups, summary.Groups.Count);
        Assert.Equal(["", "item-0", "item-1"], summary.Groups.Take(3).Select(g => g.Group));
        Assert.Equal(2_501 - RunSummary.MaxListedGroups, summary.GroupsNotListed);
        Assert.Equal(2_501, summary.TotalActions);
    }

    [Fact]
    public void A_summary_with_its_tree_fits_one_message_however_long_and_many_the_group_names_are()
    {
        // 30,000 groups of 300-character names: 9 million characters of names, where a frame holds 4 MiB.
        var state = Started();
        var prefix = new string('g', 290);
        for (var i = 0; i < 30_000; i++) Request(state, $"r/t#{i}", $"{prefix}-{i:D8}");
        var reply = new RunSummaryReply(state.ToSummary()) { GroupTree = state.ToGroupTree() };

        var serializer = (FanoutSerializer)Sys.Serialization.FindSerializerFor(reply);
        var bytes = serializer.ToBinary(reply).Length;

        Assert.True(bytes < WireLimits.FrameBytes - 64 * 1024, $"a summary with its tree took {bytes:N0} bytes; a frame holds {WireLimits.FrameBytes:N0}");
        Assert.True(reply.Summary!.GroupsNotListed > 29_000, $"only {reply.Summary.GroupsNotListed} groups left out of the list");
        Assert.Equal(30_000, reply.GroupTree!.TopLevelFolders);
        Assert.True(reply.GroupTree.Folders.Sum(f => f.Path.Length) <= GroupTreeLimits.MaxPathChars);
        Assert.Equal(30_001, reply.Summary.TotalActions);
    }
}
