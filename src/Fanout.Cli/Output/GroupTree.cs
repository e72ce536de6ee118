using Fanout.Cli.Model;

namespace Fanout.Cli.Output;

/// <summary>
/// A run's groups as a tree: <c>phase-1/shard-0</c> under <c>phase-1</c>, each with the counts of the
/// actions started directly in it. A parent group with no actions of its own still gets its line.
/// </summary>
internal static class GroupTree
{
    public static IEnumerable<string> Lines(IReadOnlyList<GroupDto> groups)
    {
        var byPath = groups.ToDictionary(g => g.Group, StringComparer.Ordinal);
        var ordered = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            // Ancestors first, in the order the run first used them.
            var segments = group.Group.Length == 0 ? [""] : group.Group.Split('/');
            for (var depth = 1; depth <= segments.Length; depth++)
            {
                var path = string.Join('/', segments.Take(depth));
                if (seen.Add(path)) ordered.Add(path);
            }
        }
        return OrderAsTree(ordered).Select(path =>
        {
            var depth = path.Length == 0 ? 0 : path.Count(c => c == '/');
            var name = path.Length == 0 ? "(no group)" : path[(path.LastIndexOf('/') + 1)..];
            var counts = byPath.TryGetValue(path, out var g) ? $"{g.Total}: {Format.Counts(g.Counts)}" : "0 of its own";
            return $"{new string(' ', 2 * depth)}{name}  {counts}";
        });
    }

    // Children right after their parent, siblings in first-use order.
    private static IEnumerable<string> OrderAsTree(List<string> paths)
    {
        IEnumerable<string> ChildrenOf(string? parent) => paths.Where(p => p.Length > 0 && ParentOf(p) == parent);
        IEnumerable<string> Walk(string path) => ChildrenOf(path).SelectMany(Walk).Prepend(path);
        var top = paths.Where(p => p.Length == 0).Concat(ChildrenOf(null));
        return top.SelectMany(p => p.Length == 0 ? [p] : Walk(p));
    }

    private static string? ParentOf(string path) => path.LastIndexOf('/') is var i and >= 0 ? path[..i] : null;
}
