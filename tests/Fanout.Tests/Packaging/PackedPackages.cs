using System.Text.RegularExpressions;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.Packaging;

/// <summary>
/// The solution's packable projects packed once, as a release would pack them: into a temp folder, built from
/// scratch in their own artifacts folder (nothing of the working tree's bin/obj is reused), with CI=true so
/// the build is the deterministic one a CI server makes.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    private static readonly TimeSpan PackDeadline = TimeSpan.FromMinutes(10);
    private readonly TempDirectory _temp = new();

    /// <summary>Every project of Fanout.sln by name, and whether it is packable.</summary>
    public IReadOnlyDictionary<string, bool> Packable { get; private set; } = new Dictionary<string, bool>();

    /// <summary>The folder holding the .nupkg and .snupkg files.</summary>
    public string Folder => _temp.File("packages");

    /// <summary>Package id => its .nupkg, for every package made.</summary>
    public IReadOnlyDictionary<string, Nupkg> Packages { get; private set; } = new Dictionary<string, Nupkg>();

    public TimeSpan PackTime { get; private set; }

    public async Task InitializeAsync()
    {
        var root = RepoPaths.Root;
        var projects = SolutionProjects(root);
        var packable = new Dictionary<string, bool>();
        foreach (var project in projects)
            packable[Path.GetFileNameWithoutExtension(project)] = await IsPackableAsync(root, project);
        Packable = packable;

        // One solution of the packable projects, so shared dependencies build once.
        var started = DateTime.UtcNow;
        var none = new Dictionary<string, string>();
        await DotnetCommand.RunAsync(_temp.Path, none, TimeSpan.FromMinutes(1), "new", "sln", "--name", "packed", "--format", "sln");
        await DotnetCommand.RunAsync(_temp.Path, none, TimeSpan.FromMinutes(1),
            ["sln", "packed.sln", "add", .. projects.Where(p => packable[Path.GetFileNameWithoutExtension(p)]).Select(p => Path.Combine(root, p))]);
        await DotnetCommand.RunAsync(_temp.Path, new Dictionary<string, string> { ["CI"] = "true" }, PackDeadline,
            "pack", "packed.sln", "-c", "Release", "-o", Folder, "--artifacts-path", _temp.File("artifacts"), "-nodeReuse:false");
        PackTime = DateTime.UtcNow - started;

        Packages = Directory.GetFiles(Folder, "*.nupkg")
            .Select(file => new Nupkg(file))
            .ToDictionary(package => package.Id);
    }

    public Task DisposeAsync()
    {
        foreach (var package in Packages.Values) package.Dispose();
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private static List<string> SolutionProjects(string root)
    {
        // Project("{type}") = "Name", "relative\path.csproj", "{guid}"; solution folders have no .csproj path.
        var line = new Regex(@"^Project\(""\{[^}]+\}""\) = ""[^""]+"", ""(?<path>[^""]+\.csproj)""", RegexOptions.Multiline);
        return line.Matches(File.ReadAllText(Path.Combine(root, "Fanout.sln")))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .ToList();
    }

    private static async Task<bool> IsPackableAsync(string root, string project)
    {
        var output = await DotnetCommand.RunAsync(root, new Dictionary<string, string>(), TimeSpan.FromMinutes(1),
            "msbuild", project, "-getProperty:IsPackable");
        var value = output.Trim();
        return value switch
        {
            "true" => true,
            "false" or "" => false,
            _ => throw new InvalidOperationException($"{project}: IsPackable evaluated to '{value}'"),
        };
    }
}
