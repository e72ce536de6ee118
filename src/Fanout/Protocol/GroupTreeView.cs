namespace Fanout.Protocol;

/// <summary>
/// The part of a run's group folders a page shows (<see cref="Runtime.GroupFolders.View"/>): <see cref="Folders"/>
/// depth first, each folder's nested ones right after it, and how many folders the run has at the top level.
/// </summary>
internal sealed record GroupTreeView(IReadOnlyList<GroupFolderView> Folders, int TopLevelFolders);

/// <summary>
/// One folder: <paramref name="Path"/> as groups name it ("a/b"), its actions and its nested groups' counted together,
/// and how many folders it holds directly (<paramref name="Subfolders"/>), shown or not.
/// </summary>
internal sealed record GroupFolderView(string Path, int Total, IReadOnlyDictionary<ActionStatus, int> Counts, int Subfolders);
