namespace Fanout.Protocol;

/// <summary>A client's request for a page of the runs index, sent to a worker's <see cref="Runtime.Index.RunsIndexReader"/>.</summary>
internal sealed record ListRuns(RunListQuery Query) : IFanoutMessage;

/// <summary>The page asked for, or why the query was refused (a bad cursor, ...) or could not be read.</summary>
internal sealed record RunsListed(RunListPage? Page, string? Refused, string? Failed) : IFanoutMessage;
