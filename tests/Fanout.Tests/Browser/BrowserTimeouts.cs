namespace Fanout.Tests.Browser;

/// <summary>How long the browser specs wait for a page to show something: generous, since 2 busy cores run the suite.</summary>
public static class BrowserTimeouts
{
    /// <summary>An auto-waiting expectation (text, attribute, visibility) before it fails.</summary>
    public static readonly TimeSpan Expect = TimeSpan.FromSeconds(20);

    /// <summary>A click, fill or navigation before it fails.</summary>
    public static readonly TimeSpan Action = TimeSpan.FromSeconds(30);
}
