using System.Text;

namespace Fanout.TestKit;

/// <summary>
/// One group of a run's group tree (<see cref="RunReport.GroupTree"/>): the actions started directly in it and the
/// groups nested in it. The root is the run itself (path empty), holding the actions started outside any group.
/// </summary>
public sealed class GroupNode
{
    internal GroupNode(string path, int total, IReadOnlyDictionary<ActionStatus, int> counts, IReadOnlyList<GroupNode> children)
    {
        Path = path;
        Name = path.Length == 0 ? "" : path[(path.LastIndexOf('/') + 1)..];
        Total = total;
        Counts = counts;
        Children = children;
    }

    /// <summary>The group's own name (the last part of its path); empty for the root.</summary>
    public string Name { get; }

    /// <summary>The group's path, nested groups joined by <c>/</c>; empty for the root.</summary>
    public string Path { get; }

    /// <summary>How many actions were started directly in this group.</summary>
    public int Total { get; }

    /// <summary>How many actions started directly in this group are in each status.</summary>
    public IReadOnlyDictionary<ActionStatus, int> Counts { get; }

    /// <summary>The groups nested directly in this one, in the order they were first used.</summary>
    public IReadOnlyList<GroupNode> Children { get; }

    /// <summary>How many actions were started in this group and every group nested in it.</summary>
    public int TotalWithNested => Total + Children.Sum(c => c.TotalWithNested);

    /// <summary>Every group under this one, depth first (this one not included).</summary>
    public IEnumerable<GroupNode> Descendants() => Children.SelectMany(c => c.Descendants().Prepend(c));

    /// <summary>The group at <paramref name="path"/> under this one (a path relative to this node), or null.</summary>
    public GroupNode? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = this;
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.Children.FirstOrDefault(c => c.Name == name);
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>The tree as indented lines: <c>name: total (status count, ...)</c>, children under their parent.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Render(text, 0);
        return text.ToString().TrimEnd();
    }

    private void Render(StringBuilder text, int depth)
    {
        var counts = string.Join(", ", Counts.Where(c => c.Value > 0).OrderBy(c => c.Key).Select(c => $"{c.Key.ToString().ToLowerInvariant()} {c.Value}"));
        text.Append(' ', depth * 2).Append(Path.Length == 0 ? "(run)" : Name).Append(": ").Append(Total)
            .Append(counts.Length > 0 ? $" ({counts})" : "").AppendLine();
        foreach (var child in Children) child.Render(text, depth + 1);
    }

    /// <summary>Builds the tree from a summary's flat per-group counts, adding groups that only hold nested ones.</summary>
    internal static GroupNode Build(IReadOnlyList<GroupSummary> groups)
    {
        var byPath = groups.ToDictionary(g => g.Group, StringComparer.Ordinal);
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [""] = [] };
        foreach (var group in groups.Select(g => g.Group).Where(p => p.Length > 0))
        {
            var parts = group.Split('/');
            for (var i = 1; i <= parts.Length; i++)
            {
                var path = string.Join('/', parts[..i]);
                if (children.ContainsKey(path)) continue;
                children[path] = [];
                children[i == 1 ? "" : string.Join('/', parts[..(i - 1)])].Add(path);
            }
        }

        GroupNode Make(string path) => new(path,
            byPath.TryGetValue(path, out var summary) ? summary.Total : 0,
            summary?.Counts ?? new Dictionary<ActionStatus, int>(),
            children[path].Select(Make).ToList());
        return Make("");
    }
}
