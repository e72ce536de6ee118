using System.Text.RegularExpressions;
using Fanout.Tests.Support;
using static Fanout.Tests.Browser.PageText;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Tests.Browser;

/// <summary><c>fanout ui --db</c>: a run's page outlives the program that ran it, read-only, from its journal.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JournalViewerBrowserSpecs(BrowserFixture browser)
{
    private static readonly TimeSpan ProcessDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Fanout_ui_shows_a_finished_run_after_its_process_exited()
    {
        using var folder = new TempDirectory();
        var journal = folder.File("fanout.db");

        // A program that runs a fan-out to its end and exits, as a sample does.
        using var program = HostProcess.Start(
            new Dictionary<string, string> { ["FANOUT_CRASH_LOG"] = folder.File("executions.log") }, "start", journal, "5");
        var runLine = await program.WaitForLineAsync("RUN ", ProcessDeadline);
        var runId = runLine["RUN ".Length..].Trim();
        Assert.True(await program.WaitForExitAsync(ProcessDeadline) == 0, program.Output);

        // Port 0: any free port; the banner names the one it got.
        using var viewer = HostProcess.Start("Fanout.Cli.dll", new Dictionary<string, string>(), "ui", "--db", journal, "--port", "0");
        var banner = await viewer.WaitForLineAsync("Fanout UI (read-only) at ", ProcessDeadline);
        var runsPage = new Regex(@"^Fanout UI \(read-only\) at (http://127\.0\.0\.1:\d+/ui/runs) - journal ").Match(banner).Groups[1].Value;
        Assert.True(runsPage.Length > 0, $"the viewer's banner does not name its runs page as the contract says: {banner}");

        await using var session = await browser.OpenAsync(nameof(Fanout_ui_shows_a_finished_run_after_its_process_exited));
        await session.RunAsync(async page =>
        {
            await page.GotoAsync(runsPage);
            await Expect(page.Locator("#read-only-banner")).ToBeVisibleAsync();
            await Expect(page.Locator("a#nav-start")).ToHaveCountAsync(0);
            var row = page.Locator($"table#runs tr[data-run-id=\"{runId}\"]");
            await Expect(row.Locator("td.run-status")).ToHaveTextAsync("succeeded", AnyCase);
            await row.Locator("a.run-link").ClickAsync();

            await Expect(page.Locator("#run-id")).ToHaveTextAsync(runId);
            await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
            // The root and its 5 items.
            await Expect(page.Locator("[data-count=\"succeeded\"]")).ToHaveTextAsync("6");
            await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "ended");
            await Expect(page.Locator("button#cancel-run")).ToHaveCountAsync(0);
        });
        Assert.False(viewer.HasExited, "the viewer stopped serving by itself: " + viewer.Output);
    }
}
