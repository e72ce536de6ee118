namespace Fanout;

/// <summary>One page of a run's actions.</summary>
/// <param name="Total">How many actions match the query's filter, over all pages.</param>
/// <param name="Offset">The offset this page starts at.</param>
/// <param name="Actions">The actions on this page.</param>
public sealed record ActionPage(int Total, int Offset, IReadOnlyList<ActionInfo> Actions);
