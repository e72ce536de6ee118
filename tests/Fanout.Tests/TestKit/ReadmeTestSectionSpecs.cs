using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Fanout.Tests.UserTestKit;

/// <summary>
/// README's "Test your workflows" shows the sample test project's real code: every C# block appears (whitespace
/// aside) in tests/Fanout.TestKit.Sample, and a block marked <c>&lt;!-- fresh-test: FILE.cs --&gt;</c> is that whole file.
/// </summary>
public sealed partial class ReadmeTestSectionSpecs
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Folder(), "..", "..", ".."));
    private static readonly string SampleFolder = Path.Combine(Root, "tests", "Fanout.TestKit.Sample");

    [Fact]
    public void Every_code_block_of_the_section_is_the_sample_projects_code()
    {
        var blocks = Blocks();
        Assert.True(blocks.Count >= 6, $"expected the section's code blocks, found {blocks.Count}");
        var sources = SampleSources().Values.Select(Normalise).ToList();

        foreach (var (code, _) in blocks)
            Assert.True(sources.Any(source => source.Contains(Normalise(code), StringComparison.Ordinal)),
                $"This README block is not in {SampleFolder}:\n{code}");
    }

    [Fact]
    public void A_block_marked_fresh_test_is_the_whole_sample_file_it_names()
    {
        var marked = Blocks().Where(b => b.FreshTestFile is not null).ToList();
        Assert.NotEmpty(marked);
        var sources = SampleSources();

        foreach (var (code, file) in marked)
        {
            Assert.True(sources.TryGetValue(file!, out var source), $"the README marks a block as {file}, which the sample project does not have");
            Assert.Equal(Normalise(source!), Normalise(code));
        }
    }

    /// <summary>The section's C# blocks, each with the file its fresh-test marker names (or null).</summary>
    private static List<(string Code, string? FreshTestFile)> Blocks()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## Test your workflows\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Test your workflows' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        return CodeBlock().Matches(section)
            .Select(m => (m.Groups["code"].Value, m.Groups["file"].Success ? m.Groups["file"].Value : null))
            .ToList();
    }

    private static Dictionary<string, string> SampleSources() =>
        Directory.EnumerateFiles(SampleFolder, "*.cs", SearchOption.TopDirectoryOnly)
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllText, StringComparer.Ordinal);

    private static string Normalise(string code) => Whitespace().Replace(code, " ").Trim();

    [GeneratedRegex(@"(?:<!-- fresh-test: (?<file>[\w.]+) -->\n)?```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
