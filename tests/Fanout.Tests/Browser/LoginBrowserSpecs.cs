using System.Text.RegularExpressions;
using Fanout.Tests.HttpSecurity;
using Fanout.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Tests.Browser;

/// <summary>A node that requires a token: a browser opening a run's Url is asked for one, and a viewer's page cannot act.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LoginBrowserSpecs(BrowserFixture browser)
{
    [Fact]
    public async Task A_browser_is_asked_for_a_token_and_a_viewer_sees_the_run_without_cancel()
    {
        await using var node = await DashboardRuntime.WithTokensAsync();
        using var gate = new Gate();
        var run = await node.Runtime.RunAsync(BrowserTasks.Gated, (gate.Name, 2));
        var runUrl = run.Url!.ToString();

        await using (var operatorSession = await browser.OpenAsync("operator_login"))
        {
            await operatorSession.RunAsync(async page =>
            {
                await page.GotoAsync(runUrl);
                await Expect(page).ToHaveURLAsync(new Regex("/ui/login\\?"));
                await Expect(page.Locator("form#login input#token")).ToHaveAttributeAsync("type", "password");
                Assert.Equal(0, await page.Locator("#run-id").CountAsync());

                await page.Locator("input#token").FillAsync("not-the-token");
                await page.Locator("button#login-submit").ClickAsync();
                await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
                Assert.Equal(0, await page.Locator("#run-id").CountAsync());

                await LogInAsync(page, SecuredRuntime.OperatorToken);
                await Expect(page).ToHaveURLAsync(runUrl);
                await Expect(page.Locator("#run-id")).ToHaveTextAsync(run.Id);
                await Expect(page.Locator("button#cancel-run")).ToBeVisibleAsync();
                await Expect(page.Locator("a#nav-start")).ToBeVisibleAsync();
            });
        }

        await using (var viewerSession = await browser.OpenAsync("viewer_login"))
        {
            await viewerSession.RunAsync(async page =>
            {
                await page.GotoAsync(runUrl);
                await Expect(page).ToHaveURLAsync(new Regex("/ui/login\\?"));
                await LogInAsync(page, SecuredRuntime.ViewerToken);
                await Expect(page.Locator("#run-id")).ToHaveTextAsync(run.Id);
                await Expect(page.Locator("#run-status")).ToHaveTextAsync("Running");
                await Expect(page.Locator("button#cancel-run")).ToHaveCountAsync(0);
            });
        }

        // Ended before the node stops, which would otherwise wait out its drain timeout for the leaves.
        gate.Release(2);
        Assert.Equal(2, await run.WaitAsync(Deadlines.EmbeddedRun, "the gated run to end once its leaves are let through"));
    }

    private static async Task LogInAsync(IPage page, string token)
    {
        await page.Locator("input#token").FillAsync(token);
        await page.Locator("button#login-submit").ClickAsync();
    }
}
