namespace Fanout;

/// <summary>One page of runs from <see cref="FanoutRuntime.ListRunsAsync"/>, newest started first.</summary>
/// <param name="Runs">The runs on this page.</param>
/// <param name="NextCursor">What <see cref="RunListQuery.Cursor"/> takes for the next page; null on the last page.</param>
public sealed record RunListPage(IReadOnlyList<RunListEntry> Runs, string? NextCursor);
