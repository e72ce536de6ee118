using AngleSharp.Html.Parser;
using Fanout.Dashboard;
using Fanout.Dashboard.Pages;

namespace Fanout.Tests.Dashboard;

/// <summary>The group tree nests paths, adds descendants' counts to each node, and stays bounded for a group per item.</summary>
public sealed class GroupTreeSpecs
{
    private static GroupSummary Group(string path, int succeeded, int failed = 0) =>
        new(path, succeeded + failed, new Dictionary<ActionStatus, int> { [ActionStatus.Succeeded] = succeeded, [ActionStatus.Failed] = failed });

    [Fact]
    public void A_run_with_a_group_per_item_shows_200_children_and_counts_the_rest()
    {
        var groups = Enumerable.Range(0, 250).Select(i => Group($"item-{i}", 1)).Append(Group("item-0/retry", 0, 2)).ToList();
        var html = new Html();
        GroupTree.Render(html, "r1", groups);
        var document = new HtmlParser().ParseDocument(html.ToString());

        Assert.Equal(200, document.QuerySelectorAll("#group-tree > details[data-group]").Length);
        Assert.Equal("50 more groups", document.QuerySelector("#group-tree > p.more-groups")!.TextContent);
        var first = document.QuerySelector("#group-tree > details[data-group='item-0']")!;
        Assert.Equal("3", first.QuerySelector(":scope > summary [data-group-total]")!.TextContent);
        Assert.Equal("2", first.QuerySelector(":scope > summary [data-group-count='failed']")!.TextContent);
        Assert.NotNull(first.QuerySelector(":scope > details[data-group='item-0/retry']"));
    }

    [Fact]
    public void A_nested_path_without_its_own_actions_still_has_its_parent_node()
    {
        var html = new Html();
        GroupTree.Render(html, "r1", [Group("", 1), Group("a/b/c", 4)]);
        var document = new HtmlParser().ParseDocument(html.ToString());
        var a = document.QuerySelector("#group-tree > details[data-group='a']")!;
        Assert.Equal("4", a.QuerySelector(":scope > summary [data-group-total]")!.TextContent);
        Assert.NotNull(a.QuerySelector(":scope > details[data-group='a/b'] > details[data-group='a/b/c']"));
        Assert.Null(document.QuerySelector("details[data-group='']"));
    }
}
