extern alias UsersTestKit;

using UsersTestKit::Fanout.TestKit;

namespace Fanout.Tests.UserTestKit;

/// <summary>The group tree built from a run summary's flat per-group counts.</summary>
public sealed class GroupTreeSpecs
{
    private static IReadOnlyDictionary<ActionStatus, int> Succeeded(int n) => new Dictionary<ActionStatus, int> { [ActionStatus.Succeeded] = n };

    [Fact]
    public void Groups_that_only_hold_nested_groups_appear_in_the_tree_with_no_actions_of_their_own()
    {
        var tree = GroupNode.Build([
            new GroupSummary("", 1, Succeeded(1)),
            new GroupSummary("eu/fetch", 2, Succeeded(2)),
            new GroupSummary("eu/score", 3, Succeeded(3)),
            new GroupSummary("us/fetch", 4, Succeeded(4)),
        ]);

        Assert.Equal(["eu", "eu/fetch", "eu/score", "us", "us/fetch"], tree.Descendants().Select(g => g.Path));
        var eu = tree.Find("eu")!;
        Assert.Equal(0, eu.Total);
        Assert.Equal(5, eu.TotalWithNested);
        Assert.Equal("score", eu.Find("score")!.Name);
        Assert.Null(tree.Find("eu/nowhere"));
        Assert.Equal(10, tree.TotalWithNested);
        Assert.Equal("""
            (run): 1 (succeeded 1)
              eu: 0
                fetch: 2 (succeeded 2)
                score: 3 (succeeded 3)
              us: 0
                fetch: 4 (succeeded 4)
            """.ReplaceLineEndings("\n"), tree.ToString().ReplaceLineEndings("\n"));
    }
}
