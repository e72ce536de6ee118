using System.Text.RegularExpressions;
using Fanout.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Tests.Browser;

/// <summary>
/// A node behind a proxy that forwards its sub-path (HttpPublicUrl https://proxy.example/fanout/, the node asked for
/// /fanout/ui/...): a browser goes through the pages, filters in place, starts a run, watches one live and cancels it,
/// and every request it makes stays under /fanout.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PublicPathBrowserSpecs(BrowserFixture browser)
{
    private const string Prefix = "/fanout";
    private const int PerGroup = 4;

    [Fact]
    public async Task Behind_a_forwarding_proxy_every_request_of_the_pages_stays_under_the_prefix()
    {
        await using var dashboard = await DashboardRuntime.BehindProxyAsync(new Uri("https://proxy.example" + Prefix + "/"));
        var finished = await dashboard.Runtime.RunAsync(BrowserTasks.Regions, PerGroup);
        Assert.Equal(BrowserTasks.FailedLeaves(PerGroup), await finished.WaitAsync(Deadlines.EmbeddedRun, "the regions run behind a proxy to end"));
        using var gate = new Gate();
        var live = await dashboard.Runtime.RunAsync(BrowserTasks.Gated, (gate.Name, 3));

        await using var session = await browser.OpenAsync(nameof(Behind_a_forwarding_proxy_every_request_of_the_pages_stays_under_the_prefix));
        var requests = new List<(string Method, Uri Url)>();
        session.Context.Request += (_, request) =>
        {
            lock (requests) requests.Add((request.Method, new Uri(request.Url)));
        };
        await session.RunAsync(async page =>
        {
            page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
            // The runs list, a run, a group's actions swapped in place, an action, and back.
            await page.GotoAsync(dashboard.Page("fanout/ui/runs"));
            await page.Locator($"table#runs tr[data-run-id=\"{finished.Id}\"] a.run-link").ClickAsync();
            await Expect(page.Locator("#run-id")).ToHaveTextAsync(finished.Id);
            await page.EvaluateAsync("() => { window.fanoutSpecMarker = 'kept'; }");
            await page.Locator("#group-tree details[data-group=\"checks\"] > summary a.filter-group").ClickAsync();
            await Expect(page.Locator("input#action-group")).ToHaveValueAsync("checks");
            await Expect(page.Locator("table#actions tr[data-action-id]")).ToHaveCountAsync(PerGroup);
            Assert.Equal("kept", await page.EvaluateAsync<string>("() => window.fanoutSpecMarker"));
            var actionId = await page.Locator("table#actions tr[data-action-id]").First.GetAttributeAsync("data-action-id");
            await page.Locator("table#actions a.action-link").First.ClickAsync();
            await Expect(page.Locator("#action-id")).ToHaveTextAsync(actionId!);
            await page.GoBackAsync();
            await Expect(page.Locator("#run-id")).ToHaveTextAsync(finished.Id);
            await Expect(page).ToHaveURLAsync(new Regex($"^[^?]*{Prefix}/ui/runs/[^?]+\\?group=checks$"));

            // The start page posts to POST /runs and opens the new run.
            await page.Locator("a#nav-start").ClickAsync();
            await page.Locator("select#task").SelectOptionAsync(BrowserTasks.Sum.Name);
            await page.Locator("textarea#input").FillAsync("[5, 6]");
            await page.Locator("button#start").ClickAsync();
            await Expect(page.Locator("#run-task")).ToHaveTextAsync(BrowserTasks.Sum.Name);
            await Expect(page).ToHaveURLAsync(new Regex($"{Prefix}/ui/runs/[^/?]+$"));

            // A running run's counts arrive by its event stream; cancel posts to its cancel route.
            await page.GotoAsync(dashboard.Page($"fanout/ui/runs/{Uri.EscapeDataString(live.Id)}"));
            await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "live");
            gate.Release(1);
            await Expect(page.Locator("[data-count=\"succeeded\"]")).ToHaveTextAsync("1");
            await page.Locator("button#cancel-run").ClickAsync();
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Cancelled");
        });

        List<(string Method, Uri Url)> seen;
        lock (requests) seen = [.. requests];
        var outside = seen.Where(r => !r.Url.AbsolutePath.StartsWith(Prefix + "/", StringComparison.Ordinal)).ToList();
        Assert.True(outside.Count == 0, "requests outside " + Prefix + ": " + string.Join(", ", outside.Select(r => $"{r.Method} {r.Url}")));
        // What the script asks for itself, not only what the server linked.
        foreach (var (method, pattern) in new[]
                 {
                     ("GET", $"^{Prefix}/ui/assets/dashboard\\.js$"), ("GET", $"^{Prefix}/ui/runs/[^/]+/actions$"),
                     ("POST", $"^{Prefix}/runs$"), ("GET", $"^{Prefix}/ui/runs/[^/]+/events$"), ("POST", $"^{Prefix}/runs/[^/]+/cancel$"),
                 })
            Assert.True(seen.Any(r => r.Method == method && Regex.IsMatch(r.Url.AbsolutePath, pattern)),
                $"no {method} {pattern} among: {string.Join(", ", seen.Select(r => $"{r.Method} {r.Url.AbsolutePath}"))}");
    }
}
