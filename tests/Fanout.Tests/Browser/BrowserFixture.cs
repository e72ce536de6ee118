using Microsoft.Playwright;

namespace Fanout.Tests.Browser;

/// <summary>
/// One headless Debian chromium (/usr/bin/chromium) for every browser spec, steered by Playwright's driver; each spec
/// opens its own context (<see cref="OpenAsync"/>), so cookies and storage never cross specs while the browser's
/// start (a second or more on a busy machine) is paid once.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's package; Playwright's own browser download cannot reach its host here and is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    // Chromium otherwise calls home (updates, sync, field trials, QUIC probes) and floods a closed network with
    // refused connections; the GPU flag keeps it off a GPU process that headless has no use for.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where failed specs' screenshots and HTML and the pages' screenshots are written (under the test output).</summary>
    public static string OutputFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "browser");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser specs need Debian's chromium at {ChromiumPath} (apt-get install chromium; tests/run.sh installs it as root).");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        // Auto-waiting expectations wait this long by default: long enough for a page pushed by a busy 2-core machine.
        Assertions.SetDefaultExpectTimeout((float)BrowserTimeouts.Expect.TotalMilliseconds);
    }

    /// <summary>A fresh context and page for one spec; dispose it at the spec's end (failures are recorded by <see cref="BrowserSession.RunAsync"/>).</summary>
    public async Task<BrowserSession> OpenAsync(string spec, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout((float)BrowserTimeouts.Action.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)BrowserTimeouts.Action.TotalMilliseconds);
        var page = await context.NewPageAsync();
        return new BrowserSession(spec, context, page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The browser specs: one chromium and one open runtime with a finished run, shared; they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<FinishedRunsFixture>
{
    public const string Name = "browser";
}
