using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Tests.Browser;

/// <summary>
/// The main pages photographed in light and dark, once each has shown what it is for, into
/// TestResults/browser/screenshots/ under the test output. The README's pictures (docs/screenshots/) are copies of these,
/// made smaller by <c>pngquant --ext .png --force --quality 70-95</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageScreenshotSpecs(BrowserFixture browser, FinishedRunsFixture runs)
{
    public static string Folder { get; } = Path.Combine(BrowserFixture.OutputFolder, "screenshots");

    [Fact]
    public async Task The_main_pages_are_photographed_light_and_dark()
    {
        // An open node has no login page (it lets everyone in), so the login page is one of a node with tokens.
        await using var secured = await DashboardRuntime.WithTokensAsync();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var suffix = scheme == ColorScheme.Dark ? "dark" : "light";
            await using var session = await browser.OpenAsync($"screenshots_{suffix}", scheme);
            await session.RunAsync(async page =>
            {
                await page.GotoAsync(runs.Dashboard.Page("ui/runs"));
                await Expect(page.Locator($"table#runs tr[data-run-id=\"{runs.RegionsRunId}\"]")).ToBeVisibleAsync();
                await ShootAsync(session, "runs", suffix);

                await page.GotoAsync(runs.Dashboard.RunPage(runs.RegionsRunId));
                await RunPageBrowserSpecs.OpenAsync(page.Locator("#group-tree details[data-group=\"region\"]"));
                await RunPageBrowserSpecs.OpenAsync(page.Locator("#group-tree details[data-group=\"region/eu\"]"));
                await ShootAsync(session, "run", suffix);

                await page.GotoAsync(runs.Dashboard.RunPage(runs.RegionsRunId) + "?status=failed");
                await page.Locator("table#actions tr[data-action-id] a.action-link").First.ClickAsync();
                await Expect(page.Locator("pre#stack-trace")).ToContainTextAsync(BrowserTasks.FailingFrame);
                await ShootAsync(session, "action", suffix);

                await page.GotoAsync(runs.Dashboard.Page("ui/cluster"));
                await Expect(page.Locator("table#members tr[data-member]")).ToHaveCountAsync(1);
                await Expect(page.Locator("table#executors tr[data-executor]")).ToHaveCountAsync(1);
                await ShootAsync(session, "cluster", suffix);

                await page.GotoAsync(secured.Page("ui/runs"));
                await Expect(page.Locator("form#login input#token")).ToBeVisibleAsync();
                await ShootAsync(session, "login", suffix);
            });
        }
    }

    // The page's background as the reader sees it: the body's, else the root's, else the canvas of the page's colour scheme.
    private const string BackgroundLuminance = """
        () => {
            const painted = c => c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c);
            let colour = [document.body, document.documentElement].map(e => getComputedStyle(e).backgroundColor).find(painted);
            if (!colour) {
                const probe = document.createElement('div');
                probe.style.backgroundColor = 'Canvas';
                document.body.append(probe);
                colour = getComputedStyle(probe).backgroundColor;
                probe.remove();
            }
            const [r, g, b] = colour.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        }
        """;

    private static async Task ShootAsync(BrowserSession session, string page, string suffix)
    {
        // Readable in both: a light page on a light background, a dark one on a dark background.
        var luminance = await session.Page.EvaluateAsync<double>(BackgroundLuminance);
        Assert.True(suffix == "dark" ? luminance < 0.35 : luminance > 0.65, $"the {page} page's background in {suffix} has luminance {luminance:0.00}");
        await session.ScreenshotAsync(Folder, $"{page}-{suffix}");
    }
}
