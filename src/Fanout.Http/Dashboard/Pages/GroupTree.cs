using Fanout.Protocol;

namespace Fanout.Dashboard.Pages;

/// <summary>
/// The run's groups as folders (<c>#group-tree</c>): one <c>&lt;details data-group="a/b"&gt;</c> per path, nested as the
/// paths nest, each with counts that add its descendants' to its own. Drawn from the <see cref="GroupTreeView"/> the run
/// keeps (counted as actions change, bounded to <see cref="GroupTreeLimits.MaxFolders"/> folders and
/// <see cref="GroupTreeLimits.MaxChildren"/> in one folder), the folders left out counted as "N more", so a run with a
/// group per item renders a bounded page with right counts.
/// </summary>
internal static class GroupTree
{
    public static void Render(Html html, string runId, GroupTreeView tree)
    {
        html.Open("section", "id", "group-tree", "aria-labelledby", "groups-heading");
        html.Element("h2", "Groups", "id", "groups-heading");
        if (tree.TopLevelFolders == 0) html.Element("p", "This run started no actions in a group.", "class", "empty");

        // The folders come depth first: a folder's nested ones follow it, so an open folder closes when the next
        // folder is not inside it. Each level counts what it drew, to say how many it left out.
        var open = new Stack<(GroupFolderView Folder, int Drawn)>();
        var topLevelDrawn = 0;
        foreach (var folder in tree.Folders)
        {
            while (open.Count > 0 && !IsInside(folder.Path, open.Peek().Folder.Path)) Close(html, open.Pop());
            if (open.Count > 0)
            {
                var parent = open.Pop();
                open.Push((parent.Folder, parent.Drawn + 1));
            }
            else topLevelDrawn++;
            Open(html, runId, folder);
            open.Push((folder, 0));
        }
        while (open.Count > 0) Close(html, open.Pop());
        More(html, tree.TopLevelFolders - topLevelDrawn);
        html.Close("section");
    }

    private static void Open(Html html, string runId, GroupFolderView folder)
    {
        var slash = folder.Path.LastIndexOf('/');
        html.Open("details", "data-group", folder.Path);
        html.Open("summary");
        html.Element("span", folder.Path[(slash + 1)..], "class", "group-name");
        html.Open("span", "class", "group-total").Element("span", folder.Total.ToString(), "data-group-total", "").Text(" actions").Close("span");
        StatusText.Progress(html, StatusText.Done(folder.Counts), folder.Total, label: $"actions ended in {folder.Path}");
        StatusText.Counts(html, folder.Counts, "data-group-count");
        html.Element("a", "show actions", "class", "filter-group", "href", RunPage.Url(runId) + new ActionFilter(null, folder.Path, null, 1).QueryString(),
            "aria-label", $"show the actions of {folder.Path}");
        html.Close("summary");
    }

    private static void Close(Html html, (GroupFolderView Folder, int Drawn) level)
    {
        More(html, level.Folder.Subfolders - level.Drawn);
        html.Close("details");
    }

    private static void More(Html html, int more)
    {
        if (more > 0) html.Element("p", $"{more:N0} more {(more == 1 ? "group" : "groups")}", "class", "more-groups");
    }

    private static bool IsInside(string path, string folder) =>
        path.Length > folder.Length && path[folder.Length] == '/' && path.StartsWith(folder, StringComparison.Ordinal);
}
