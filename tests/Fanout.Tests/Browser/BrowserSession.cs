using Microsoft.Playwright;

namespace Fanout.Tests.Browser;

/// <summary>
/// One spec's browser context and page. <see cref="RunAsync"/> runs the spec's steps and, when one fails, saves the
/// page's screenshot and HTML under the test output and names both files in the failure.
/// </summary>
public sealed class BrowserSession(string spec, IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public async Task RunAsync(Func<IPage, Task> steps)
    {
        try
        {
            await steps(Page);
        }
        catch (Exception failure)
        {
            var saved = await SaveFailureAsync();
            throw new BrowserSpecFailedException($"{spec} failed on {Page.Url}; {saved}", failure);
        }
    }

    /// <summary>
    /// Saves a screenshot of what the page shows now as <paramref name="name"/>.png under <paramref name="folder"/>: the
    /// window (what a reader sees first), or the whole page when <paramref name="fullPage"/>.
    /// </summary>
    public async Task<string> ScreenshotAsync(string folder, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }

    private async Task<string> SaveFailureAsync()
    {
        var folder = Path.Combine(BrowserFixture.OutputFolder, "failures");
        var stem = $"{spec}-{DateTime.UtcNow:HHmmss-fff}";
        try
        {
            var screenshot = await ScreenshotAsync(folder, stem, fullPage: true);
            var html = Path.Combine(folder, stem + ".html");
            await File.WriteAllTextAsync(html, await Page.ContentAsync());
            return $"the page is saved as {screenshot} and {html}";
        }
        catch (Exception e) when (e is PlaywrightException or IOException)
        {
            return $"the page could not be saved ({e.GetType().Name}: {e.Message})";
        }
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
