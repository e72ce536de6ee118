using Fanout;
using static Fanout.Workflow;

namespace Reports;

// The workflow under test: fetch pages (a flaky HTTP call, retried with a 30 s backoff), score them in a bounded
// map, and sum the scores per region in groups. A real app's tasks file looks like this.
public static class ReportTasks
{
    public static readonly TaskEnvironment Env = new("reports");

    public static readonly TaskDefinition<int, string> FetchPage = Env.Task(
        "fetch_page",
        async (int page, CancellationToken ct) =>
        {
            using var http = new HttpClient();
            return await http.GetStringAsync($"https://example.com/pages/{page}", ct);
        },
        new TaskOptions { Retries = 5, RetryBackoff = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromMinutes(10) });

    public static readonly TaskDefinition<string, int> Score =
        Env.Task("score", (string text, CancellationToken ct) => Task.FromResult(text.Length));

    // Values: fetch every page, gather the texts.
    public static readonly TaskDefinition<int, string[]> FetchAll =
        Env.Task("fetch_all", async (int pages, CancellationToken ct) =>
            await Gather(Enumerable.Range(1, pages).Select(page => FetchPage.InvokeAsync(page))));

    // Errors as values: one failed page does not lose the others.
    public static readonly TaskDefinition<int, PageResults> FetchWhatWorks =
        Env.Task("fetch_what_works", async (int pages, CancellationToken ct) =>
        {
            var calls = Enumerable.Range(1, pages).Select(page => FetchPage.InvokeAsync(page, new TaskOptions { Retries = 0 }));
            var outcomes = await Gather(calls, returnExceptions: true);
            return new PageResults(
                outcomes.Where(o => o.IsSuccess).Select(o => o.Value).ToArray(),
                outcomes.Select((o, i) => (Outcome: o, Page: i + 1)).Where(x => !x.Outcome.IsSuccess).Select(x => x.Page).ToArray());
        });

    // A bounded map: at most 2 scores in flight, results in input order.
    public static readonly TaskDefinition<string[], int[]> ScoreAll =
        Env.Task("score_all", async (string[] texts, CancellationToken ct) => await Map(Score, texts, concurrency: 2));

    // Groups: each region's pages are fetched and scored in the region's group.
    public static readonly TaskDefinition<string[], int> RegionReport =
        Env.Task("region_report", async (string[] regions, CancellationToken ct) =>
        {
            var totals = new List<int>();
            foreach (var region in regions)
            {
                using (Group(region))
                {
                    string[] texts;
                    using (Group("fetch"))
                        texts = await Gather(Enumerable.Range(1, 2).Select(page => FetchPage.InvokeAsync(page)));
                    using (Group("score"))
                        totals.Add((await Gather(texts.Select(text => Score.InvokeAsync(text)))).Sum());
                }
            }
            return totals.Sum();
        });
}

public sealed record PageResults(string[] Texts, int[] FailedPages);
