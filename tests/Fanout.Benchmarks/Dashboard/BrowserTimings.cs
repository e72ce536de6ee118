using System.Diagnostics;
using Microsoft.Playwright;

namespace Fanout.Benchmarks.Dashboard;

/// <summary>
/// The run pages in Debian's Chromium driven by Playwright (no browser download: <see cref="ChromiumPath"/>): first
/// contentful paint, and the time until a page shows the rows it was asked for.
/// </summary>
internal sealed class BrowserTimings : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly Uri _baseUrl;

    private BrowserTimings(IPlaywright playwright, IBrowser browser, Uri baseUrl)
    {
        _playwright = playwright;
        _browser = browser;
        _baseUrl = baseUrl;
    }

    public static async Task<BrowserTimings> StartAsync(Uri baseUrl)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs,
            });
            return new BrowserTimings(playwright, browser, baseUrl);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> in a new page (a fresh context: nothing cached) and waits for
    /// <paramref name="selector"/>: the first contentful paint and the time from navigating to the selector showing.
    /// </summary>
    public async Task<(double FirstPaintMs, double ShownMs)> OpenAsync(string path, string selector)
    {
        await using var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(new Uri(_baseUrl, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { Timeout = 60_000 });
        var shown = watch.Elapsed.TotalMilliseconds;
        var paint = await FirstContentfulPaintAsync(page);
        return (paint, shown);
    }

    /// <summary>
    /// Opens <paramref name="path"/>, then clicks <paramref name="click"/> and waits for <paramref name="selector"/>:
    /// the milliseconds from the click to the selector showing (a link to the next page, a filter).
    /// </summary>
    public async Task<double> ClickAsync(string path, string ready, string click, string selector)
    {
        await using var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(_baseUrl, path).ToString());
        await page.WaitForSelectorAsync(ready, new PageWaitForSelectorOptions { Timeout = 60_000 });
        var watch = Stopwatch.StartNew();
        await page.ClickAsync(click);
        await page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { Timeout = 60_000 });
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Pages left open on <paramref name="path"/> (a run page following its run live), until disposed.</summary>
    public async Task<IAsyncDisposable> WatchAsync(string path, int pages, string ready)
    {
        var context = await _browser.NewContextAsync();
        for (var i = 0; i < pages; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(_baseUrl, path).ToString());
            await page.WaitForSelectorAsync(ready, new PageWaitForSelectorOptions { Timeout = 60_000 });
        }
        return context;
    }

    private static async Task<double> FirstContentfulPaintAsync(IPage page)
    {
        // The paint entry comes once the page painted: wait for it rather than read too early.
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('first-contentful-paint').length > 0",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        return await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0].startTime");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
