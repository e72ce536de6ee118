using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Packaging;

/// <summary>
/// `dotnet pack` makes the five packages with their metadata, and a user's fresh web app, fresh xunit project
/// and a `dotnet tool install` work from the packed folder alone (plus the machine's sources for third-party
/// packages), restored into an empty packages folder so no stale copy stands in for a packed one.
/// Packs and restores for real: a few minutes.
/// </summary>
[Trait("Kind", "Packaging")]
[Collection(PackagingCollection.Name)]
public sealed class PackagingSpecs(PackedPackages packed, ITestOutputHelper output) : IClassFixture<PackedPackages>
{
    /// <summary>The packages and the projects that make them; the others are never packed.</summary>
    private static readonly string[] PackageProjects = ["Fanout", "Fanout.Http", "Fanout.Hosting", "Fanout.TestKit", "Fanout.Cli"];

    private static readonly TimeSpan FreshDeadline = TimeSpan.FromMinutes(10);

    [Fact]
    public void Only_the_package_projects_are_packable_and_each_makes_its_package()
    {
        output.WriteLine($"packed {packed.Packages.Count} packages in {packed.PackTime.TotalSeconds:0} s: {string.Join(", ", packed.Packages.Keys)}");
        Assert.Equal(PackageProjects.Order(), packed.Packable.Where(p => p.Value).Select(p => p.Key).Order());
        Assert.Equal(PackageProjects.Order(), packed.Packages.Keys.Order());
    }

    [Fact]
    public void Every_package_carries_its_metadata_readme_license_docs_and_symbols()
    {
        var root = RepoPaths.Root;
        var (version, meaning) = GitVersion.Expected(root);
        var head = GitVersion.Head(root);
        var origin = GitVersion.Origin(root);
        var license = File.ReadAllText(Path.Combine(root, "LICENSE"));
        Assert.NotEmpty(packed.Packages);
        foreach (var package in packed.Packages.Values)
        {
            var id = package.Id;
            output.WriteLine($"{id} {package.Version}: {package.Files.Count} files, depends on {string.Join(", ", package.Dependencies)}");
            Assert.True(version.IsMatch(package.Version), $"{id}'s version {package.Version} should match {version} ({meaning})");
            Assert.Equal("The Fanout authors", package.Metadata("authors"));
            Assert.False(string.IsNullOrWhiteSpace(package.Metadata("description")), $"{id} has no description");
            Assert.NotEqual("Package Description", package.Metadata("description"));
            Assert.Equal("expression", package.Attribute("license", "type"));
            Assert.Equal("Apache-2.0", package.Metadata("license"));
            Assert.Equal(license, package.ReadText("LICENSE"));
            Assert.Equal("README.md", package.Metadata("readme"));
            Assert.StartsWith($"# {id}\n", package.ReadText("README.md"), StringComparison.Ordinal);
            Assert.Equal("git", package.Attribute("repository", "type"));
            Assert.Equal(head, package.Attribute("repository", "commit"));
            if (origin is not null && origin.StartsWith("https://", StringComparison.Ordinal))
                Assert.Equal(origin, package.Attribute("repository", "url"));
            Assert.DoesNotContain("MinVer", package.Dependencies);

            var tool = package.PackageTypes.Contains("DotnetTool");
            Assert.Equal(id == "Fanout.Cli", tool);
            var folder = tool ? "tools/net10.0/any/" : "lib/net10.0/";
            Assert.Contains($"{folder}{id}.dll", package.Files);
            Assert.Contains("<member name=\"", package.ReadText($"{folder}{id}.xml"), StringComparison.Ordinal);
            if (tool)
            {
                var command = XDocument.Parse(package.ReadText($"{folder}DotnetToolSettings.xml")).Descendants("Command").Single();
                Assert.Equal("fanout", command.Attribute("Name")?.Value);
                Assert.Equal("Fanout.Cli.dll", command.Attribute("EntryPoint")?.Value);
            }

            using var symbols = package.Symbols();
            Assert.True(symbols is not null, $"{id} has no .snupkg beside {package.Path}");
            var pdb = tool ? $"{folder}{id}.pdb" : $"lib/net10.0/{id}.pdb";
            var evidence = BuildEvidence.Read(package.Read($"{folder}{id}.dll"), tool ? package.Read(pdb) : symbols.Read(pdb));
            output.WriteLine($"  pdb {evidence.PdbPath}, {evidence.Documents.Count} documents, {evidence.EmbeddedSources} embedded, source link {evidence.SourceLinkJson ?? "(none: no https remote)"}");
            Assert.True(evidence.Reproducible, $"{id}.dll was not built deterministically (no Reproducible debug entry)");
            // ContinuousIntegrationBuild: no build machine's folders in the dll or the PDB, only mapped roots
            // (/_/ the repository, /_1/ the artifacts folder the fixture builds in).
            Assert.Matches("^/_1/obj/", evidence.PdbPath);
            Assert.All(evidence.Documents, d => Assert.Matches("^/_1?/", d));
            Assert.Contains(evidence.Documents, d => d.StartsWith("/_/src/", StringComparison.Ordinal));
            // EmbedUntrackedSources: the generated files git does not have travel in the PDB.
            Assert.True(evidence.EmbeddedSources > 0, $"{id}'s PDB embeds no source (EmbedUntrackedSources)");
            if (SourceLinkHost(origin))
                Assert.Contains(head, evidence.SourceLinkJson ?? $"{id}'s PDB has no Source Link for origin {origin}");
        }
        Assert.Single(packed.Packages.Values.Select(p => p.Version).Distinct());
    }

    [Fact]
    public async Task A_fresh_web_app_and_a_fresh_test_project_build_and_run_from_the_packed_folder()
    {
        using var temp = new TempDirectory();
        var environment = IsolatedRestore(temp);
        var version = packed.Packages["Fanout"].Version;
        FreshProjects.WriteNugetConfig(temp.Path, packed.Folder);
        var readme = Path.Combine(RepoPaths.Root, "README.md");

        // The web app: the README's fresh-app blocks, or the spec's first app while the README marks none.
        var started = Stopwatch.StartNew();
        var appFiles = ReadmeBlocks.Read(readme, "app");
        var fromReadme = appFiles.Count > 0;
        var app = Path.Combine(temp.Path, "app");
        FreshProjects.WriteApp(app, Referenced(FreshProjects.AppPackages, version),
            fromReadme ? appFiles : new Dictionary<string, string> { ["Program.cs"] = FreshSources.FallbackProgram });
        await DotnetCommand.RunAsync(app, environment, FreshDeadline, "build");
        output.WriteLine($"fresh web app ({(fromReadme ? "README blocks " + string.Join(", ", appFiles.Keys) : "the spec's first app")}) restored and built in {started.Elapsed.TotalSeconds:0} s");
        AssertRestoredFromPackedFolder(environment["NUGET_PACKAGES"], "Fanout", version);

        started.Restart();
        if (fromReadme) await RunReadmeAppAsync(app, environment);
        else await RunFallbackAppAsync(app, environment);
        output.WriteLine($"fresh web app ran in {started.Elapsed.TotalSeconds:0} s");

        // The test project: the README's fresh-test blocks beside the spec's own test of an embedded run.
        started.Restart();
        var testFiles = new Dictionary<string, string>(ReadmeBlocks.Read(readme, "test"));
        Assert.False(testFiles.ContainsKey("PackagedRuntimeTests.cs"), "README marks a fresh-test file with the name of the spec's own test file");
        testFiles["PackagedRuntimeTests.cs"] = FreshSources.PackagedRuntimeTest;
        var tests = Path.Combine(temp.Path, "tests");
        FreshProjects.WriteTests(tests, Referenced(FreshProjects.TestPackages, version), testFiles);
        var result = await DotnetCommand.RunAsync(tests, environment, FreshDeadline, "test");
        output.WriteLine($"fresh test project ({string.Join(", ", testFiles.Keys)}) restored, built and tested in {started.Elapsed.TotalSeconds:0} s");
        var summary = Regex.Match(result, @"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+),\s*Skipped:\s*(?<skipped>\d+),\s*Total:\s*(?<total>\d+)");
        Assert.True(summary.Success, $"no test summary in:\n{result}");
        output.WriteLine(summary.Value);
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.Equal("0", summary.Groups["skipped"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value) >= testFiles.Count, $"fewer tests passed than files: {summary.Value}");
    }

    [Fact]
    public async Task The_fanout_tool_installs_from_the_packed_folder_and_prints_its_version()
    {
        using var temp = new TempDirectory();
        var environment = IsolatedRestore(temp);
        var version = packed.Packages["Fanout.Cli"].Version;
        var tools = temp.File("tools");
        await DotnetCommand.RunAsync(temp.Path, environment, FreshDeadline,
            "tool", "install", "Fanout.Cli", "--tool-path", tools, "--add-source", packed.Folder, "--version", version);
        var fanout = Process.Start(new ProcessStartInfo(Path.Combine(tools, "fanout"), "--version") { RedirectStandardOutput = true })!;
        var printed = (await fanout.StandardOutput.ReadToEndAsync()).Trim();
        await fanout.WaitForExitAsync().Within(TimeSpan.FromMinutes(1), "fanout --version to exit");
        output.WriteLine($"fanout --version: {printed}");
        Assert.Equal(0, fanout.ExitCode);
        // The informational version: the package version and the commit it was built from.
        Assert.Equal($"{version}+{GitVersion.Head(RepoPaths.Root)}", printed);
    }

    private async Task RunFallbackAppAsync(string app, IReadOnlyDictionary<string, string> environment)
    {
        using var program = new RunningProgram(app, environment, Path.Combine("bin", "Debug", "net10.0", "FreshApp.dll"));
        Assert.Equal("2870", await program.WaitForAsync("result: ", Deadlines.EmbeddedRun));
        var url = await program.WaitForAsync("run url: ", TimeSpan.FromSeconds(10));
        output.WriteLine($"the fresh app's run: {url}");
        using var http = new HttpClient();
        var page = await http.GetAsync(url);
        Assert.True(page.IsSuccessStatusCode, $"GET {url} answered {(int)page.StatusCode}; the app said:\n{program.Output}");
        Assert.Contains(new Uri(url).Segments[^1], await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await program.CloseInputAndWaitAsync(TimeSpan.FromMinutes(1)));
    }

    private async Task RunReadmeAppAsync(string app, IReadOnlyDictionary<string, string> environment)
    {
        var listening = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" };
        using var program = new RunningProgram(app, listening, Path.Combine("bin", "Debug", "net10.0", "FreshApp.dll"));
        var url = await program.WaitForAsync("Now listening on: ", TimeSpan.FromMinutes(2));
        using var http = new HttpClient();
        var health = await http.GetAsync(new Uri(new Uri(url), "/health"));
        output.WriteLine($"the README's app listens on {url}; /health answered {(int)health.StatusCode}");
        Assert.NotEqual(System.Net.HttpStatusCode.NotFound, health.StatusCode);
    }

    /// <summary>Children restore into an empty packages folder of their own: no copy from an earlier pack is found.</summary>
    private static Dictionary<string, string> IsolatedRestore(TempDirectory temp) =>
        new() { ["NUGET_PACKAGES"] = temp.File("nuget-packages") };

    private Dictionary<string, string> Referenced(string[] ids, string version) =>
        ids.Where(packed.Packages.ContainsKey).ToDictionary(id => id, _ => version);

    private void AssertRestoredFromPackedFolder(string packagesFolder, string id, string version)
    {
        var metadata = Path.Combine(packagesFolder, id.ToLowerInvariant(), version.ToLowerInvariant(), ".nupkg.metadata");
        Assert.True(File.Exists(metadata), $"{id} {version} was not restored into {packagesFolder}");
        Assert.Contains(packed.Folder, File.ReadAllText(metadata), StringComparison.Ordinal);
    }

    private static bool SourceLinkHost(string? origin) =>
        origin is not null && Regex.IsMatch(origin, @"^(https://|git@)(github\.com|gitlab\.com|bitbucket\.org|dev\.azure\.com)[/:]");
}
