using Microsoft.Playwright;

namespace Fanout.Tests.Browser;

/// <summary>
/// For texts whose letter case the contract leaves to the pages (an action's status, a status in a table): the whole
/// text, in any case. Texts the contract spells (the run's status) are matched exactly.
/// </summary>
public static class PageText
{
    public static readonly LocatorAssertionsToHaveTextOptions AnyCase = new() { IgnoreCase = true };
}
