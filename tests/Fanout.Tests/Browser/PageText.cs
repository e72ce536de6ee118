using System.Text.RegularExpressions;

namespace Fanout.Tests.Browser;

/// <summary>What the specs expect an element's text to be, whatever whitespace and letter case the page renders it in.</summary>
public static class PageText
{
    public static Regex Exactly(string text) => new($"^\\s*{Regex.Escape(text)}\\s*$", RegexOptions.IgnoreCase);
}
