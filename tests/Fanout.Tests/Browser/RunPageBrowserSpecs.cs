using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Fanout.Tests.Browser.PageText;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Tests.Browser;

/// <summary>A person reading a finished run in a browser: from the runs list down to why one action failed, and a run that does not exist.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RunPageBrowserSpecs(BrowserFixture browser, FinishedRunsFixture runs)
{
    [Fact]
    public async Task From_the_runs_list_through_a_group_and_the_failed_filter_to_a_stack_trace()
    {
        await using var session = await browser.OpenAsync(nameof(From_the_runs_list_through_a_group_and_the_failed_filter_to_a_stack_trace));
        await session.RunAsync(async page =>
        {
            await page.GotoAsync(runs.Dashboard.Page("ui/runs"));
            var row = page.Locator($"table#runs tr[data-run-id=\"{runs.RegionsRunId}\"]");
            await Expect(row.Locator("td.run-status")).ToHaveTextAsync("succeeded", AnyCase);
            await row.Locator("a.run-link").ClickAsync();

            await Expect(page.Locator("#run-id")).ToHaveTextAsync(runs.RegionsRunId);
            await Expect(page.Locator("#run-task")).ToHaveTextAsync(BrowserTasks.Regions.Name);
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
            var leaves = 3 * FinishedRunsFixture.PerGroup;
            await Expect(page.Locator("#total-actions")).ToHaveTextAsync(new Regex($"\\b{leaves + 1}\\b"));
            await Expect(page.Locator("[data-count=\"failed\"]")).ToHaveTextAsync($"{BrowserTasks.FailedLeaves(FinishedRunsFixture.PerGroup)}");

            // region holds eu and us, each with its own counts; region's total adds them up.
            var region = page.Locator("#group-tree details[data-group=\"region\"]");
            var eu = region.Locator("details[data-group=\"region/eu\"]");
            await OpenAsync(region);
            await Expect(eu.Locator(":scope > summary")).ToBeVisibleAsync();
            await Expect(region.Locator(":scope > summary [data-group-total]")).ToHaveTextAsync(new Regex($"\\b{2 * FinishedRunsFixture.PerGroup}\\b"));
            await Expect(eu.Locator(":scope > summary [data-group-count=\"failed\"]")).ToHaveTextAsync("2");

            // eu's own filter link, then failed: leaves 0 and 4 of eu's 0..5. Both swap the table in place (the page is
            // not loaded again: the marker stays) and push the filter's URL, so back shows the group's page again.
            await page.EvaluateAsync("() => { window.fanoutSpecMarker = 'kept'; }");
            await eu.Locator(":scope > summary a.filter-group").ClickAsync();
            await Expect(page.Locator("input#action-group")).ToHaveValueAsync("region/eu");
            await page.Locator("select#action-status").SelectOptionAsync("failed");
            await page.Locator("form#actions-filter").EvaluateAsync("form => form.requestSubmit()");
            var failedRows = page.Locator("table#actions tr[data-action-id]");
            await Expect(failedRows).ToHaveCountAsync(2);
            await Expect(failedRows.Locator("td.action-status")).ToHaveTextAsync(["failed", "failed"], AnyCase);
            await Expect(failedRows.Locator("td.action-group")).ToHaveTextAsync(["region/eu", "region/eu"]);
            Assert.Equal("kept", await page.EvaluateAsync<string>("() => window.fanoutSpecMarker"));
            Assert.Contains("status=failed", page.Url);
            Assert.Contains("group=region%2Feu", page.Url);
            await Expect(page.Locator("a#clear-filter")).ToBeVisibleAsync();
            await page.GoBackAsync();
            await Expect(page.Locator("table#actions tr[data-action-id]")).ToHaveCountAsync(FinishedRunsFixture.PerGroup);
            await Expect(page.Locator("select#action-status")).ToHaveValueAsync("");
            await page.GoForwardAsync();
            await Expect(failedRows).ToHaveCountAsync(2);

            var actionId = await failedRows.First.GetAttributeAsync("data-action-id");
            await failedRows.First.Locator("a.action-link").ClickAsync();
            await Expect(page.Locator("#action-id")).ToHaveTextAsync(actionId!);
            await Expect(page.Locator("#action-status")).ToHaveTextAsync("failed", AnyCase);
            await Expect(page.Locator("#error-type")).ToContainTextAsync(nameof(InvalidOperationException));
            await Expect(page.Locator("#error-message")).ToContainTextAsync($"refuses multiples of {BrowserTasks.FailEvery}");
            await Expect(page.Locator("pre#stack-trace")).ToContainTextAsync(BrowserTasks.FailingFrame);
            await Expect(page.Locator("table#attempts tr[data-attempt=\"1\"]")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task An_unknown_run_or_action_shows_a_404_page()
    {
        await using var session = await browser.OpenAsync(nameof(An_unknown_run_or_action_shows_a_404_page));
        await session.RunAsync(async page =>
        {
            // As the pages link it, and as a browser opens a run's Url.
            foreach (var path in new[] { "ui/runs/no-such-run", "runs/no-such-run" })
            {
                var response = await page.GotoAsync(runs.Dashboard.Page(path));
                Assert.Equal(404, response!.Status);
                await Expect(page.Locator("#not-found")).ToBeVisibleAsync();
                await Expect(page.Locator("#not-found")).ToContainTextAsync("no-such-run");
            }

            var unknownAction = runs.Dashboard.Page($"ui/runs/{runs.RegionsRunId}/action?id={Uri.EscapeDataString(runs.RegionsRunId + "/nothing#9")}");
            var actionResponse = await page.GotoAsync(unknownAction);
            Assert.Equal(404, actionResponse!.Status);
            await Expect(page.Locator("#not-found")).ToBeVisibleAsync();
        });
    }

    /// <summary>
    /// Opens a group's <c>details</c> by clicking its summary, whatever its first state; near the summary's top left
    /// corner (its marker and name), since its middle may be the group's filter link.
    /// </summary>
    internal static async Task OpenAsync(ILocator details)
    {
        var onTheName = new LocatorClickOptions { Position = new Position { X = 4, Y = 4 } };
        if (!await details.EvaluateAsync<bool>("d => d.open")) await details.Locator(":scope > summary").ClickAsync(onTheName);
        await Expect(details).ToHaveJSPropertyAsync("open", true);
    }
}
