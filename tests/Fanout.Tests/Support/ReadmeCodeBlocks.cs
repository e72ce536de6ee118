using System.Text.RegularExpressions;

namespace Fanout.Tests.Support;

/// <summary>
/// The code blocks of one language (```csharp, ```json, ...) in one "## " section of the README, each with the file name its marker line gives
/// (<c>&lt;!-- fresh-app: Program.cs --&gt;</c> right before the block), for specs that hold the README to real code.
/// </summary>
internal static partial class ReadmeCodeBlocks
{
    /// <summary>
    /// One block: its code, the file its marker names (null without one), the "### " subsection it is in (null before
    /// the first), and the README line it starts on.
    /// </summary>
    public sealed record Block(string Code, string? MarkedFile, string? Marker, string? Subsection, int Line);

    /// <summary>The <paramref name="language"/> blocks of the section headed exactly <paramref name="heading"/> (say "## Use it in your app"), down to the next "## ".</summary>
    public static IReadOnlyList<Block> InSection(string readme, string heading, string language = "csharp")
    {
        var lines = readme.Replace("\r\n", "\n").Split('\n');
        var start = Array.IndexOf(lines, heading);
        if (start < 0) throw new InvalidOperationException($"The README has no line '{heading}'");
        var blocks = new List<Block>();
        string? subsection = null;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (lines[i].StartsWith("### ", StringComparison.Ordinal)) subsection = lines[i][4..].Trim();
            if (lines[i].Trim() != "```" + language) continue;
            var first = i + 1;
            var end = first;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            if (end == lines.Length) throw new InvalidOperationException($"The ```{language} block at README line {i + 1} is never closed");
            var marker = Marker().Match(PreviousNonEmpty(lines, i));
            blocks.Add(new Block(string.Join('\n', lines[first..end]), marker.Success ? marker.Groups["file"].Value : null,
                marker.Success ? marker.Groups["kind"].Value : null, subsection, i + 1));
            i = end;
        }
        return blocks;
    }

    /// <summary>The text with every run of whitespace made one space, so indentation and line breaks do not count.</summary>
    public static string Normalise(string code) => Whitespace().Replace(code, " ").Trim();

    private static string PreviousNonEmpty(string[] lines, int index)
    {
        for (var i = index - 1; i >= 0; i--)
            if (lines[i].Trim().Length > 0) return lines[i].Trim();
        return "";
    }

    [GeneratedRegex(@"^<!--\s*(?<kind>fresh-app|fresh-test):\s*(?<file>[\w.]+\.cs)\s*-->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
