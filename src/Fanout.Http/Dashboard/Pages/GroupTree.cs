namespace Fanout.Dashboard.Pages;

/// <summary>
/// The run's groups as folders (<c>#group-tree</c>): one <c>&lt;details data-group="a/b"&gt;</c> per path, nested as the
/// paths nest, each with counts that add its descendants' to its own. Built from <see cref="RunSummary.Groups"/> alone;
/// a node shows at most <see cref="MaxChildren"/> children and the whole tree at most <see cref="MaxNodes"/>, the rest
/// counted as "N more", so a run with a group per item still renders a bounded page.
/// </summary>
internal static class GroupTree
{
    public const int MaxChildren = 200;
    public const int MaxNodes = 2000;

    public static void Render(Html html, string runId, IReadOnlyList<GroupSummary> groups)
    {
        var root = Build(groups);
        html.Open("section", "id", "group-tree", "aria-labelledby", "groups-heading");
        html.Element("h2", "Groups", "id", "groups-heading");
        if (root.Children.Count == 0) html.Element("p", "This run started no actions in a group.", "class", "empty");
        var budget = MaxNodes;
        RenderChildren(html, runId, root, ref budget);
        html.Close("section");
    }

    private static void RenderChildren(Html html, string runId, Node parent, ref int budget)
    {
        var shown = 0;
        foreach (var child in parent.Children.Values)
        {
            if (shown == MaxChildren || budget == 0) break;
            shown++;
            budget--;
            html.Open("details", "data-group", child.Path);
            html.Open("summary");
            html.Element("span", child.Name, "class", "group-name");
            html.Open("span", "class", "group-total").Element("span", child.Total.ToString(), "data-group-total", "").Text(" actions").Close("span");
            StatusText.Progress(html, StatusText.Done(child.Counts), child.Total, label: $"actions ended in {child.Path}");
            StatusText.Counts(html, child.Counts, "data-group-count");
            html.Element("a", "show actions", "class", "filter-group", "href", RunPage.Url(runId) + new ActionFilter(null, child.Path, null, 1).QueryString(),
                "aria-label", $"show the actions of {child.Path}");
            html.Close("summary");
            if (child.Children.Count > 0) RenderChildren(html, runId, child, ref budget);
            html.Close("details");
        }
        var more = parent.Children.Count - shown;
        if (more > 0) html.Element("p", $"{more:N0} more {(more == 1 ? "group" : "groups")}", "class", "more-groups");
    }

    private static Node Build(IReadOnlyList<GroupSummary> groups)
    {
        var root = new Node("", "");
        foreach (var group in groups)
        {
            if (group.Group.Length == 0) continue;
            var node = root;
            var segments = group.Group.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                var path = string.Join('/', segments, 0, i + 1);
                if (!node.Children.TryGetValue(segments[i], out var child)) node.Children[segments[i]] = child = new Node(segments[i], path);
                child.Add(group);
                node = child;
            }
        }
        return root;
    }

    /// <summary>A path node; its counts are its own group's plus every descendant's.</summary>
    private sealed class Node(string name, string path)
    {
        public string Name { get; } = name;
        public string Path { get; } = path;
        public int Total { get; private set; }
        public Dictionary<ActionStatus, int> Counts { get; } = [];

        // Insertion order is the order groups were first used, as RunSummary.Groups lists them.
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public void Add(GroupSummary group)
        {
            Total += group.Total;
            foreach (var (status, n) in group.Counts) Counts[status] = Counts.GetValueOrDefault(status) + n;
        }
    }
}
