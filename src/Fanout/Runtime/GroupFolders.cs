using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// A run's groups as folders, the way the run page draws them: one folder per group path and per path above it
/// ("a/b" lives in "a"), each counting its own actions and every nested group's, kept as actions are counted so
/// that the counts of the folders a page shows cost nothing to read however many groups the run has. A run with
/// a group per item has a million folders; <see cref="View"/> hands out a bounded part of them.
/// </summary>
internal sealed class GroupFolders
{
    private readonly Dictionary<string, Folder> _byPath = new(StringComparer.Ordinal);
    private readonly List<Folder> _topLevel = [];

    /// <summary>The folder of <paramref name="group"/>, made (with the folders above it) on its first use; null for no group.</summary>
    public Folder? For(string group)
    {
        if (group.Length == 0) return null;
        if (_byPath.TryGetValue(group, out var known)) return known;
        // Up to the nearest folder there is, then down making the missing ones: no recursion, since groups nest as deep
        // as a workflow's scopes do and this runs on the run actor.
        var missing = new Stack<string>();
        Folder? parent = null;
        for (var path = group; path.Length > 0 && !_byPath.TryGetValue(path, out parent); path = path[..Math.Max(0, path.LastIndexOf('/'))])
            missing.Push(path);
        var folder = parent;
        while (missing.TryPop(out var path))
        {
            folder = new Folder(path, parent);
            _byPath[path] = folder;
            (parent?.Children ?? _topLevel).Add(folder);
            parent = folder;
        }
        return folder;
    }

    /// <summary>Counts <paramref name="delta"/> actions in <paramref name="status"/> in a folder and every folder above it.</summary>
    public static void Count(Folder? folder, int status, int delta)
    {
        for (; folder is not null; folder = folder.Parent) folder.Counts[status] += delta;
    }

    /// <summary>
    /// The folders a page shows, depth first in the order the groups were first used: at most
    /// <paramref name="maxChildren"/> under one folder, <paramref name="maxFolders"/> in all, and paths adding up to
    /// at most <paramref name="maxPathChars"/> characters (group names are the user's and may be long; the view
    /// must fit one message between nodes). Each folder says how many folders it holds, so a page can say how
    /// many it leaves out.
    /// </summary>
    public GroupTreeView View(int maxFolders, int maxChildren, int maxPathChars)
    {
        var shown = new List<GroupFolderView>();
        var budget = new Budget(maxFolders, maxPathChars);
        // Depth first without recursion: each entry is a list of sibling folders and the next one of them to show.
        var levels = new Stack<(List<Folder> Siblings, int Next)>();
        levels.Push((_topLevel, 0));
        while (levels.TryPop(out var level))
        {
            var (siblings, next) = level;
            if (next >= siblings.Count || next >= maxChildren) continue;
            var folder = siblings[next];
            // Out of budget: this level shows no more (its parent's later siblings may still fit).
            if (!budget.Take(folder.Path.Length)) continue;
            shown.Add(new GroupFolderView(folder.Path, folder.Counts.Sum(), NonZero(folder.Counts), folder.Children.Count));
            levels.Push((siblings, next + 1));
            levels.Push((folder.Children, 0));
        }
        return new GroupTreeView(shown, _topLevel.Count);
    }

    internal static Dictionary<ActionStatus, int> NonZero(int[] counts)
    {
        var nonZero = new Dictionary<ActionStatus, int>();
        for (var status = 0; status < counts.Length; status++)
            if (counts[status] > 0) nonZero[(ActionStatus)status] = counts[status];
        return nonZero;
    }

    private struct Budget(int folders, int chars)
    {
        public bool Take(int pathChars)
        {
            if (folders == 0 || pathChars > chars) return false;
            folders--;
            chars -= pathChars;
            return true;
        }
    }

    /// <summary>One group path: its counts add its own actions' and every nested group's.</summary>
    internal sealed class Folder(string path, Folder? parent)
    {
        public string Path { get; } = path;
        public Folder? Parent { get; } = parent;
        public int[] Counts { get; } = new int[ActionIndex.StatusCount];

        /// <summary>The folders directly inside this one, in the order their groups were first used.</summary>
        public List<Folder> Children { get; } = [];
    }
}
