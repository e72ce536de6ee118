using AngleSharp.Html.Parser;
using Fanout.Dashboard;
using Fanout.Dashboard.Pages;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Dashboard;

/// <summary>The group tree nests paths, shows each folder's counts with its nested groups', and stays bounded for a group per item.</summary>
public sealed class GroupTreeSpecs
{
    /// <summary>The folders as a run keeps them, with <paramref name="groups"/> counted (path, succeeded, failed).</summary>
    private static GroupTreeView Tree(IEnumerable<(string Path, int Succeeded, int Failed)> groups)
    {
        var folders = new GroupFolders();
        foreach (var (path, succeeded, failed) in groups)
        {
            var folder = folders.For(path);
            GroupFolders.Count(folder, (int)ActionStatus.Succeeded, succeeded);
            GroupFolders.Count(folder, (int)ActionStatus.Failed, failed);
        }
        return folders.View(GroupTreeLimits.MaxFolders, GroupTreeLimits.MaxChildren, GroupTreeLimits.MaxPathChars);
    }

    private static AngleSharp.Html.Dom.IHtmlDocument Render(GroupTreeView tree)
    {
        var html = new Html();
        GroupTree.Render(html, "r1", tree);
        return new HtmlParser().ParseDocument(html.ToString());
    }

    [Fact]
    public void A_run_with_a_group_per_item_shows_200_children_and_counts_the_rest()
    {
        var document = Render(Tree(Enumerable.Range(0, 250).Select(i => ($"item-{i}", 1, 0)).Append(("item-0/retry", 0, 2))));

        Assert.Equal(200, document.QuerySelectorAll("#group-tree > details[data-group]").Length);
        Assert.Equal("50 more groups", document.QuerySelector("#group-tree > p.more-groups")!.TextContent);
        var first = document.QuerySelector("#group-tree > details[data-group='item-0']")!;
        Assert.Equal("3", first.QuerySelector(":scope > summary [data-group-total]")!.TextContent);
        Assert.Equal("2", first.QuerySelector(":scope > summary [data-group-count='failed']")!.TextContent);
        Assert.NotNull(first.QuerySelector(":scope > details[data-group='item-0/retry']"));
        Assert.Null(first.QuerySelector(":scope > p.more-groups"));
    }

    [Fact]
    public void A_folder_that_holds_more_than_it_shows_counts_all_of_them_and_says_how_many_it_left_out()
    {
        var document = Render(Tree(Enumerable.Range(0, 3_000).Select(i => ($"phase-{i % 2}/item-{i}", 1, i % 3 == 0 ? 1 : 0))));

        var phase = document.QuerySelector("#group-tree > details[data-group='phase-0']")!;
        Assert.Equal("2000", phase.QuerySelector(":scope > summary [data-group-total]")!.TextContent);
        Assert.Equal(200, phase.QuerySelectorAll(":scope > details[data-group]").Length);
        Assert.Equal("1,300 more groups", phase.QuerySelector(":scope > p.more-groups")!.TextContent);
        Assert.Equal(2, document.QuerySelectorAll("#group-tree > details[data-group]").Length);
        Assert.Null(document.QuerySelector("#group-tree > p.more-groups"));
    }

    [Fact]
    public void A_nested_path_without_its_own_actions_still_has_its_parent_node()
    {
        var document = Render(Tree([("", 1, 0), ("a/b/c", 4, 0), ("d", 1, 0)]));
        var a = document.QuerySelector("#group-tree > details[data-group='a']")!;
        Assert.Equal("4", a.QuerySelector(":scope > summary [data-group-total]")!.TextContent);
        Assert.NotNull(a.QuerySelector(":scope > details[data-group='a/b'] > details[data-group='a/b/c']"));
        Assert.NotNull(document.QuerySelector("#group-tree > details[data-group='d']"));
        Assert.Null(document.QuerySelector("details[data-group='']"));
    }
}
