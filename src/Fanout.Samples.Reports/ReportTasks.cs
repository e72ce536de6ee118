using static Fanout.Workflow;

namespace Fanout.Samples.Reports;

/// <summary>
/// A report of many lines, each line priced by its own action on some worker, then added up. The app that
/// starts reports and the workers that run them both have this assembly.
/// </summary>
public static class ReportTasks
{
    /// <summary>The tasks' environment: their full names are <c>reports.build</c> and <c>reports.price_line</c>.</summary>
    public static readonly TaskEnvironment Env = new("reports");

    /// <summary>Prices one line, in cents (in a real app: a query or a call to another service).</summary>
    public static readonly TaskDefinition<int, long> PriceLine =
        Env.Task("price_line", (int line, CancellationToken ct) => Task.FromResult(125L * line));

    /// <summary>Builds a report of lines 1 to n: prices them, at most 100 at a time, and adds them up.</summary>
    public static readonly TaskDefinition<int, Report> Build =
        Env.Task("build", async (int lines, CancellationToken ct) =>
        {
            using (Group("lines"))
            {
                var prices = await Map(PriceLine, Enumerable.Range(1, lines), concurrency: 100);
                return new Report(prices.Length, prices.Sum());
            }
        });
}
