using System.Text.Json;
using System.Text.RegularExpressions;
using Fanout.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Tests.Browser;

/// <summary>Starting a task from the start page, and the run page used from the keyboard alone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StartAndKeyboardBrowserSpecs(BrowserFixture browser, FinishedRunsFixture runs)
{
    [Fact]
    public async Task A_task_started_from_the_start_page_with_JSON_input_opens_its_run()
    {
        await using var session = await browser.OpenAsync(nameof(A_task_started_from_the_start_page_with_JSON_input_opens_its_run));
        string runId = "";
        await session.RunAsync(async page =>
        {
            await page.GotoAsync(runs.Dashboard.Page("ui/runs"));
            await page.Locator("a#nav-start").ClickAsync();
            await Expect(page.Locator("form#start-run")).ToBeVisibleAsync();

            await page.Locator("select#task").SelectOptionAsync(BrowserTasks.Sum.Name);
            await page.Locator("textarea#input").FillAsync("[1, 2, 3,");
            await page.Locator("button#start").ClickAsync();
            await Expect(page.Locator("#start-error")).ToBeVisibleAsync();

            await page.Locator("textarea#input").FillAsync("[1, 2, 3, 4]");
            await page.Locator("button#start").ClickAsync();
            await Expect(page.Locator("#run-task")).ToHaveTextAsync(BrowserTasks.Sum.Name);
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
            runId = (await page.Locator("#run-id").TextContentAsync())!.Trim();
            await Expect(page).ToHaveURLAsync(new Regex($"/runs/{Regex.Escape(Uri.EscapeDataString(runId))}"));
        });
        var result = await runs.Dashboard.Runtime.GetRun<JsonElement>(runId).WaitAsync(Deadlines.EmbeddedRun, "the run started from the page");
        Assert.Equal(10, result.GetInt32());
    }

    [Fact]
    public async Task The_group_tree_folds_with_Enter_and_Space_and_the_filter_submits_with_Enter()
    {
        await using var session = await browser.OpenAsync(nameof(The_group_tree_folds_with_Enter_and_Space_and_the_filter_submits_with_Enter));
        await session.RunAsync(async page =>
        {
            await page.GotoAsync(runs.Dashboard.RunPage(runs.RegionsRunId));
            var region = page.Locator("#group-tree details[data-group=\"region\"]");
            var summary = region.Locator(":scope > summary");
            var wasOpen = await region.EvaluateAsync<bool>("d => d.open");

            await summary.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(region).ToHaveJSPropertyAsync("open", !wasOpen);
            await page.Keyboard.PressAsync("Space");
            await Expect(region).ToHaveJSPropertyAsync("open", wasOpen);

            await page.Locator("input#action-group").FillAsync("region/us");
            await page.Locator("input#action-group").PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new Regex("[?&]group=region(%2F|/)us(&|$)"));
            var rows = page.Locator("table#actions tr[data-action-id]");
            await Expect(rows).ToHaveCountAsync(FinishedRunsFixture.PerGroup);
            await Expect(rows.Locator("td.action-group")).ToHaveTextAsync(
                Enumerable.Repeat("region/us", FinishedRunsFixture.PerGroup));
        });
    }
}
