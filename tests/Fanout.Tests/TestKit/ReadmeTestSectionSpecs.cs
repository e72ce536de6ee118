using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.UserTestKit;

/// <summary>
/// README's "Test your workflows" shows the sample test project's real code: every C# block appears (whitespace
/// aside) in tests/Fanout.TestKit.Sample, and a block marked <c>&lt;!-- fresh-test: FILE.cs --&gt;</c> is that whole file.
/// </summary>
public sealed class ReadmeTestSectionSpecs
{
    private const string Heading = "## Test your workflows";
    private static readonly string SampleFolder = Path.Combine(RepoPaths.Root, "tests", "Fanout.TestKit.Sample");

    [Fact]
    public void Every_code_block_of_the_section_is_the_sample_projects_code()
    {
        var blocks = Blocks();
        Assert.True(blocks.Count >= 6, $"expected the section's code blocks, found {blocks.Count}");
        var sources = SampleSources().Values.Select(ReadmeCodeBlocks.Normalise).ToList();

        foreach (var block in blocks)
            Assert.True(sources.Any(source => source.Contains(ReadmeCodeBlocks.Normalise(block.Code), StringComparison.Ordinal)),
                $"The README block at line {block.Line} is not in {SampleFolder}:\n{block.Code}");
    }

    [Fact]
    public void A_block_marked_fresh_test_is_the_whole_sample_file_it_names()
    {
        var marked = Blocks().Where(b => b.Marker == "fresh-test").ToList();
        Assert.NotEmpty(marked);
        var sources = SampleSources();

        foreach (var block in marked)
        {
            Assert.True(sources.TryGetValue(block.MarkedFile!, out var source),
                $"the README marks the block at line {block.Line} as {block.MarkedFile}, which the sample project does not have");
            Assert.Equal(ReadmeCodeBlocks.Normalise(source!), ReadmeCodeBlocks.Normalise(block.Code));
        }
    }

    private static IReadOnlyList<ReadmeCodeBlocks.Block> Blocks() =>
        ReadmeCodeBlocks.InSection(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), Heading);

    private static Dictionary<string, string> SampleSources() =>
        Directory.EnumerateFiles(SampleFolder, "*.cs", SearchOption.TopDirectoryOnly)
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllText, StringComparer.Ordinal);
}
