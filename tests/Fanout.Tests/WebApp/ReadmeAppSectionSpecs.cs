using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.WebApp;

/// <summary>
/// README's "Use it in your app" shows real code: every C# block is in the sample web app's or its task library's
/// sources, the blocks marked as a fresh app's files are those files whole (the packaging spec compiles them), and its
/// JSON is the sample's appsettings.json. The OTLP wiring of "Traces and metrics" is the code OtlpWiringSpecs runs.
/// </summary>
public sealed class ReadmeAppSectionSpecs
{
    private const string Heading = "## Use it in your app";
    private static readonly string[] SampleFolders = ["src/Fanout.Samples.WebApp", "src/Fanout.Samples.Reports"];
    private const string TracesSubsection = "Traces and metrics";
    // Runs the subsection's wiring against an OTLP endpoint: the sample app has no OpenTelemetry packages.
    private const string OtlpWiringSpec = "tests/Fanout.Tests/Diagnostics/OtlpWiringSpecs.cs";

    [Theory]
    [InlineData("csharp", "*.cs")]
    [InlineData("json", "*.json")]
    public void Every_code_block_of_the_section_is_in_the_samples_sources(string language, string files)
    {
        var sources = Sources(files);
        var blocks = ReadmeCodeBlocks.InSection(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), Heading, language);

        Assert.NotEmpty(blocks);
        var wiring = ReadmeCodeBlocks.Normalise(File.ReadAllText(Path.Combine(RepoPaths.Root, OtlpWiringSpec)));
        foreach (var block in blocks)
        {
            var code = ReadmeCodeBlocks.Normalise(block.Code);
            var (found, where) = block.Subsection == TracesSubsection
                ? (wiring.Contains(code, StringComparison.Ordinal), OtlpWiringSpec)
                : (sources.Values.Any(source => source.Contains(code, StringComparison.Ordinal)), string.Join(", ", SampleFolders));
            Assert.True(found, $"The ```{language} block at README line {block.Line} is in none of {where}; it begins:\n" +
                string.Join('\n', block.Code.Split('\n').Take(5)));
        }
    }

    [Fact]
    public void The_blocks_marked_as_a_fresh_app_are_whole_files_that_make_the_sample_app()
    {
        var sources = Sources("*.cs");
        var marked = ReadmeCodeBlocks.InSection(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), Heading)
            .Where(b => b.Marker == "fresh-app").ToList();

        // The app, the tasks it starts and their result type: enough for a fresh web app to build.
        Assert.Equal(["Program.cs", "Report.cs", "ReportTasks.cs"], marked.Select(b => b.MarkedFile!).Order());
        foreach (var block in marked)
        {
            var file = sources.Keys.Single(path => Path.GetFileName(path) == block.MarkedFile);
            Assert.True(sources[file] == ReadmeCodeBlocks.Normalise(block.Code),
                $"The block marked fresh-app: {block.MarkedFile} (README line {block.Line}) is not the whole of {file}");
        }
    }

    // Each sample file that matches the pattern, whitespace-normalised, by its path from the repository root.
    private static Dictionary<string, string> Sources(string pattern) =>
        SampleFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), pattern, SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(path => Path.GetRelativePath(RepoPaths.Root, path), path => ReadmeCodeBlocks.Normalise(File.ReadAllText(path)));
}
