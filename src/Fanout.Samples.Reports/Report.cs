namespace Fanout.Samples.Reports;

/// <summary>A finished report: how many lines it priced and their total.</summary>
/// <param name="Lines">How many lines were priced.</param>
/// <param name="TotalCents">The sum of their prices, in cents.</param>
public sealed record Report(int Lines, long TotalCents);
