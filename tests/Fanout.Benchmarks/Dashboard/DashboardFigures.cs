using System.Diagnostics;
using Fanout.Benchmarks.Scenarios;

namespace Fanout.Benchmarks.Dashboard;

/// <summary>
/// <c>--dashboard [--actions N] [--running N]</c>: the run pages' figures, printed, never asserted. An embedded runtime
/// on a temp SQLite file holds a finished run of N leaves (default 1,000,000; the last 1,000 failed; groups phase-1,
/// phase-2, phase-2/shard-a) and a running run of slow leaves (default 100,000). Timed: what the pages read at the HTTP
/// level (JSON and HTML), then in Chromium the run page's first contentful paint, the next page of actions, a filtered
/// page, an action's page, and this process's CPU with 5 pages watching the running run and with none.
/// </summary>
internal static class DashboardFigures
{
    private static readonly TimeSpan CpuWindow = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        if (!TryParse(args, out var actions, out var running, out var problem))
        {
            Console.Error.WriteLine($"error: {problem}");
            Console.Error.WriteLine("usage: --dashboard [--actions N (default 1000000)] [--running N (default 100000)]");
            return 2;
        }
        var table = new FigureTable();
        using var temp = new TempFolder();
        await using var runtime = await BenchRuntime.StartAsync(JournalKind.Sqlite, temp.NewDatabasePath("dashboard", actions), ct);
        var fanout = runtime.Fanout;
        var baseUrl = fanout.BaseUrl ?? throw new InvalidOperationException("the embedded runtime serves no HTTP API");
        Console.WriteLine($"Fanout dashboard figures: {Environment.ProcessorCount} cores; runtime at {baseUrl}");

        var watch = Stopwatch.StartNew();
        var finished = await fanout.RunAsync(DashboardTasks.Main, actions, cancellationToken: ct);
        var failures = await finished.WaitAsync(ct);
        table.AddText("finished run: all leaves ended", finished.Id, $"{watch.Elapsed.TotalSeconds:F1} s",
            $"{actions:N0} leaves, {failures:N0} failed, {actions / watch.Elapsed.TotalSeconds:N0} actions/s");
        Console.WriteLine($"finished run {finished.Id}: {actions:N0} leaves in {watch.Elapsed.TotalSeconds:F1} s");

        var slow = await fanout.RunAsync(DashboardTasks.SlowMain, running, cancellationToken: ct);
        Console.WriteLine($"running run {slow.Id}: {running:N0} slow leaves of {DashboardTasks.SlowLeafTime.TotalSeconds:F0} s each");

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var json = new JsonTimings(http, baseUrl);
        // Action pages: a failed leaf of the finished run (attempt with its error), a leaf of the running one.
        var failedLeaf = await json.FirstActionIdAsync(finished.Id, "status=failed", ct);
        var slowLeaf = await json.FirstActionIdAsync(slow.Id, "offset=1", ct);
        await HttpFiguresAsync(json, table, "finished", finished.Id, failedLeaf, actions * 9 / 10, ct);
        await HttpFiguresAsync(json, table, "running", slow.Id, slowLeaf, running * 9 / 10, ct);

        try
        {
            await using var browser = await BrowserTimings.StartAsync(baseUrl);
            await BrowserFiguresAsync(browser, json, table, "finished", finished.Id, failedLeaf, ct);
            await BrowserFiguresAsync(browser, json, table, "running", slow.Id, slowLeaf, ct);

            var idle = await ServerCpu.MeasureAsync(CpuWindow, ct);
            double watched;
            await using (await browser.WatchAsync($"ui/runs/{Uri.EscapeDataString(slow.Id)}", pages: 5, ready: "#live[data-state='live']"))
                watched = await ServerCpu.MeasureAsync(CpuWindow, ct);
            var summary = await slow.GetSummaryAsync(ct);
            table.AddText("server CPU, no page open", "running", $"{idle:F2} cpu-s/s", $"over {CpuWindow.TotalSeconds:F0} s, the run going on");
            table.AddText("server CPU, 5 pages watching", "running", $"{watched:F2} cpu-s/s",
                $"over {CpuWindow.TotalSeconds:F0} s; the run still {summary.Status.ToString().ToLowerInvariant()} after");
        }
        catch (Exception e) when (e is Microsoft.Playwright.PlaywrightException or TimeoutException)
        {
            table.AddText("browser figures", "-", "not measured", $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }

        await slow.CancelAsync("the figures are measured", ct);
        Console.WriteLine();
        table.Print(Console.Out);
        Console.WriteLine();
        Console.WriteLine("HTTP figures: median of 5 GETs from this process over loopback after one to warm up (server time plus");
        Console.WriteLine("loopback). Browser figures: a fresh Chromium context for each (nothing cached); 'shown' is from navigation");
        Console.WriteLine("(or the click) to the rows asked for being in the page. Goal (issue 12): first paint <= 1 s, a page or filter <= 300 ms.");
        return 0;
    }

    private static async Task HttpFiguresAsync(JsonTimings json, FigureTable table, string run, string runId, string actionId,
        int deepOffset, CancellationToken ct)
    {
        var id = Uri.EscapeDataString(runId);
        var action = Uri.EscapeDataString(actionId);
        var routes = new (string What, string Path)[]
        {
            ("JSON summary", $"runs/{id}"),
            ("JSON actions, first page", $"runs/{id}/actions?limit=100"),
            ("JSON actions, next page", $"runs/{id}/actions?offset=100&limit=100"),
            ($"JSON actions, offset {deepOffset:N0}", $"runs/{id}/actions?offset={deepOffset}&limit=100"),
            ("JSON actions, status failed", $"runs/{id}/actions?status=failed&limit=100"),
            ("JSON actions, group phase-2 (nested)", $"runs/{id}/actions?group=phase-2&offset=1000&limit=100"),
            ("JSON actions, task filter", $"runs/{id}/actions?task=dash.leaf&offset=1000&limit=100"),
            ("JSON action detail", $"runs/{id}/action?id={action}"),
            ("HTML run page", $"ui/runs/{id}"),
            ("HTML actions fragment, page 2", $"ui/runs/{id}/actions?page=2"),
            ("HTML run page, status failed", $"ui/runs/{id}?status=failed"),
            ("HTML action page", $"ui/runs/{id}/action?id={action}"),
        };
        foreach (var (what, path) in routes)
        {
            var (ms, _) = await json.TimeAsync(path, ct);
            table.Add(what, run, ms);
        }
    }

    private static async Task BrowserFiguresAsync(BrowserTimings browser, JsonTimings json, FigureTable table, string run, string runId,
        string actionId, CancellationToken ct)
    {
        var id = Uri.EscapeDataString(runId);
        var runPage = $"ui/runs/{id}";
        var (paint, shown) = await browser.OpenAsync(runPage, "table#actions tr[data-action-id]");
        table.Add("browser: run page, first contentful paint", run, paint);
        table.Add("browser: run page, actions shown", run, shown);

        var second = await json.FirstActionIdAsync(runId, "offset=100", ct);
        var next = await browser.ClickAsync(runPage, "a#next-actions", "a#next-actions", Row(second));
        table.Add("browser: next page of actions (click)", run, next);

        if (run == "finished")
        {
            var firstFailed = await json.FirstActionIdAsync(runId, "status=failed", ct);
            var (failedPaint, failedShown) = await browser.OpenAsync($"{runPage}?status=failed", Row(firstFailed));
            table.Add("browser: status failed page, shown", run, failedShown, $"first paint {failedPaint:F0} ms");
            var firstNested = await json.FirstActionIdAsync(runId, "group=phase-2%2Fshard-a", ct);
            var (groupPaint, groupShown) = await browser.OpenAsync($"{runPage}?group={Uri.EscapeDataString("phase-2/shard-a")}", Row(firstNested));
            table.Add("browser: group phase-2/shard-a page, shown", run, groupShown, $"first paint {groupPaint:F0} ms");
        }

        var (actionPaint, actionShown) = await browser.OpenAsync($"{runPage}/action?id={Uri.EscapeDataString(actionId)}", "table#attempts tr[data-attempt]");
        table.Add("browser: action page, attempts shown", run, actionShown, $"first paint {actionPaint:F0} ms");
    }

    private static string Row(string actionId) => $"table#actions tr[data-action-id=\"{actionId.Replace("\"", "\\\"")}\"]";

    private static bool TryParse(string[] args, out int actions, out int running, out string? problem)
    {
        actions = 1_000_000;
        running = 100_000;
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--dashboard") continue;
            if (args[i] is not ("--actions" or "--running"))
            {
                problem = $"unknown option '{args[i]}' for --dashboard";
                return false;
            }
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out var value) || value < 2_000)
            {
                problem = $"{args[i]} needs a whole number of at least 2000";
                return false;
            }
            if (args[i] == "--actions") actions = value;
            else running = value;
            i++;
        }
        return true;
    }
}
