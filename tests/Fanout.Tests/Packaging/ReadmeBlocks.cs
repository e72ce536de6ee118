using System.Text.RegularExpressions;

namespace Fanout.Tests.Packaging;

/// <summary>
/// The README's code blocks marked for a fresh project: a line `&lt;!-- fresh-app: FILE --&gt;` (or fresh-test)
/// right before a fenced block makes that block the file FILE of the fresh web app (or test project) that the
/// packaging spec builds from the packages. Blocks marked with the same FILE are joined in README order.
/// </summary>
internal static partial class ReadmeBlocks
{
    /// <summary>FILE => its text, for the blocks marked `fresh-{kind}` (kind: app or test).</summary>
    public static IReadOnlyDictionary<string, string> Read(string readmePath, string kind)
    {
        var lines = File.ReadAllLines(readmePath);
        var files = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = Marker().Match(lines[i]);
            if (!marker.Success || marker.Groups["kind"].Value != kind) continue;
            var file = marker.Groups["file"].Value;
            if (file.Contains('/') || file.Contains('\\') || file.StartsWith('.'))
                throw new FormatException($"README.md line {i + 1}: the marked file '{file}' must be a plain file name");
            if (i + 1 >= lines.Length || !lines[i + 1].StartsWith("```", StringComparison.Ordinal))
                throw new FormatException($"README.md line {i + 1}: '{lines[i].Trim()}' is not followed by a fenced code block on the next line");
            var end = Array.FindIndex(lines, i + 2, l => l.TrimEnd() == "```");
            if (end < 0) throw new FormatException($"README.md line {i + 2}: the code block marked for {file} is never closed");
            if (!files.TryGetValue(file, out var text)) files[file] = text = [];
            text.AddRange(lines[(i + 2)..end]);
            i = end;
        }
        return files.ToDictionary(f => f.Key, f => string.Join('\n', f.Value) + "\n");
    }

    [GeneratedRegex(@"^\s*<!--\s*fresh-(?<kind>app|test):\s*(?<file>\S+)\s*-->\s*$")]
    private static partial Regex Marker();
}
