namespace Fanout.Samples.Reports;

/// <summary>One priced line of a report.</summary>
/// <param name="Line">The line's number, from 1.</param>
/// <param name="AmountCents">Its price, in cents.</param>
public sealed record ReportLine(int Line, long AmountCents);
