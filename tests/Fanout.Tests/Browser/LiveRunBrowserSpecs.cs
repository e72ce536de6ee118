using Fanout.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Tests.Browser;

/// <summary>A run watched while it goes: its counts move without a reload, and it can be cancelled from its page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveRunBrowserSpecs(BrowserFixture browser, FinishedRunsFixture runs)
{
    private const int Leaves = 6;

    [Fact]
    public async Task Counts_change_without_a_reload_while_the_run_goes_and_the_page_says_when_it_ended()
    {
        using var gate = new Gate();
        var run = await runs.Dashboard.Runtime.RunAsync(BrowserTasks.Gated, (gate.Name, Leaves));
        await using var session = await browser.OpenAsync(nameof(Counts_change_without_a_reload_while_the_run_goes_and_the_page_says_when_it_ended));
        await session.RunAsync(async page =>
        {
            // A browser opens the run's own Url (the one a program prints), not a /ui address.
            await page.GotoAsync(run.Url!.ToString());
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Running");
            await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "live");
            await Expect(page.Locator("[data-count=\"succeeded\"]")).ToHaveTextAsync("0");
            // Gone if the page is reloaded: the counts below must arrive by the page's own updates.
            await page.EvaluateAsync("() => { window.fanoutSpecNoReload = 'same page'; }");

            gate.Release(2);
            await Expect(page.Locator("[data-count=\"succeeded\"]")).ToHaveTextAsync("2");
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Running");
            gate.Release(2);
            await Expect(page.Locator("[data-count=\"succeeded\"]")).ToHaveTextAsync("4");
            gate.Release(Leaves - 4);

            // The leaves and the root.
            await Expect(page.Locator("[data-count=\"succeeded\"]")).ToHaveTextAsync($"{Leaves + 1}");
            await Expect(page.Locator("#group-tree details[data-group=\"gated\"] > summary [data-group-count=\"succeeded\"]"))
                .ToHaveTextAsync($"{Leaves}");
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
            await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "ended");
            Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.fanoutSpecNoReload"));
        });
        Assert.Equal(Leaves, await run.WaitAsync(Deadlines.EmbeddedRun, "the gated run to end"));
    }

    [Fact]
    public async Task Cancel_on_the_page_asks_first_then_cancels_the_run()
    {
        using var gate = new Gate();
        var run = await runs.Dashboard.Runtime.RunAsync(BrowserTasks.Gated, (gate.Name, Leaves));
        await using var session = await browser.OpenAsync(nameof(Cancel_on_the_page_asks_first_then_cancels_the_run));
        var dialogs = new List<string>();
        await session.RunAsync(async page =>
        {
            page.Dialog += (_, dialog) =>
            {
                lock (dialogs) dialogs.Add(dialog.Type);
                _ = dialog.AcceptAsync();
            };
            await page.GotoAsync(runs.Dashboard.RunPage(run.Id));
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Running");

            await page.Locator("button#cancel-run").ClickAsync();

            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Cancelled");
            await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "ended");
            await Expect(page.Locator("button#cancel-run")).ToHaveCountAsync(0);
        });
        lock (dialogs) Assert.Equal(["confirm"], dialogs);
        Assert.Equal(RunStatus.Cancelled, await Eventually.Value(() => run.GetStatusAsync(), status => status != RunStatus.Running,
            Deadlines.EmbeddedRun, "the run cancelled from its page to end"));
    }
}
