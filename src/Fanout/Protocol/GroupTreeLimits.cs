namespace Fanout.Protocol;

/// <summary>
/// How much of a run's groups one summary carries, so that a summary always fits one message between nodes
/// (<see cref="WireLimits.FrameBytes"/>, 4 MiB) however many groups a run has and however long their names:
/// 1,000 listed groups and 2,000 folders, each at most 128 Ki characters of names in all (up to 6 bytes a
/// character once escaped: 1.5 MiB for both), about 0.6 MiB of counts, and the root's error (under 0.5 MiB).
/// </summary>
internal static class GroupTreeLimits
{
    /// <summary>Folders one summary's group tree carries at most; the run page draws this many at most.</summary>
    public const int MaxFolders = 2000;

    /// <summary>Folders shown directly inside one folder at most; the rest are counted.</summary>
    public const int MaxChildren = 200;

    /// <summary>Characters of folder paths one group tree carries at most.</summary>
    public const int MaxPathChars = 128 * 1024;

    /// <summary>Characters of group names <see cref="RunSummary.Groups"/> carries at most.</summary>
    public const int MaxListedGroupChars = 128 * 1024;
}
