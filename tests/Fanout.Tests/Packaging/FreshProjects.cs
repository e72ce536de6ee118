using System.Security;
using System.Xml.Linq;
using Fanout.Tests.Cluster.Support;

namespace Fanout.Tests.Packaging;

/// <summary>
/// Writes the projects a user would create beside the packages: a nuget.config that adds the packed folder to
/// the machine's own sources, a web app and an xunit test project that reference Fanout's packages by id and
/// version (never a project).
/// </summary>
internal static class FreshProjects
{
    /// <summary>The packages a fresh web app references (the libraries that exist among the packed ones).</summary>
    public static readonly string[] AppPackages = ["Fanout", "Fanout.Http", "Fanout.Hosting"];

    /// <summary>The packages a fresh test project references.</summary>
    public static readonly string[] TestPackages = ["Fanout", "Fanout.Http", "Fanout.TestKit"];

    /// <summary>nuget.config: the packed folder added to the sources this machine already restores from.</summary>
    public static void WriteNugetConfig(string folder, string packagesFolder) =>
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="fanout-packed" value="{SecurityElement.Escape(packagesFolder)}" />
              </packageSources>
            </configuration>
            """);

    public static void WriteApp(string folder, IReadOnlyDictionary<string, string> packages, IReadOnlyDictionary<string, string> files) =>
        Write(folder, "FreshApp.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
            {References(packages)}
              </ItemGroup>
            </Project>
            """, files);

    public static void WriteTests(string folder, IReadOnlyDictionary<string, string> packages, IReadOnlyDictionary<string, string> files)
    {
        var versions = RepositoryPackageVersions();
        var testing = new Dictionary<string, string>(packages)
        {
            ["Microsoft.NET.Test.Sdk"] = versions["Microsoft.NET.Test.Sdk"],
            ["xunit"] = versions["xunit"],
            ["xunit.runner.visualstudio"] = versions["xunit.runner.visualstudio"],
        };
        Write(folder, "FreshTests.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
              </PropertyGroup>
              <ItemGroup>
            {References(testing)}
              </ItemGroup>
            </Project>
            """, files);
    }

    private static void Write(string folder, string project, string csproj, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, project), csproj);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(folder, name), text);
    }

    private static string References(IReadOnlyDictionary<string, string> packages) =>
        string.Join('\n', packages.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"    <PackageReference Include=\"{p.Key}\" Version=\"{p.Value}\" />"));

    // The test packages at the versions the repository's own tests use (served here, and known to work together).
    private static Dictionary<string, string> RepositoryPackageVersions() =>
        XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);
}
