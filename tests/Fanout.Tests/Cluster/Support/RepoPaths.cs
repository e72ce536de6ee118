namespace Fanout.Tests.Cluster.Support;

/// <summary>Where the programs the cluster specs start are built.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The worker program, in its own output folder (it has its own appsettings.json).</summary>
    public static string NodeProgram => Path.Combine(Root, "src", "Fanout.Node", "bin", Configuration, "net10.0", "Fanout.Node.dll");

    /// <summary>
    /// A test program (tests/NAME) in its own output folder. One that references only the SDK runs on Microsoft.NETCore.App
    /// alone; beside the tests, which run on ASP.NET Core's framework, the packages it needs (logging abstractions, ...)
    /// are not copied, so it must run where it was built, as an app does.
    /// </summary>
    public static string TestProgram(string name) => Path.Combine(Root, "tests", name, "bin", Configuration, "net10.0", $"{name}.dll");

    /// <summary>The specs' task assembly, built beside the tests.</summary>
    public static string ClusterApp => Path.Combine(AppContext.BaseDirectory, "Fanout.ClusterApp.dll");

    // The tests run from bin/<Configuration>/net10.0/: the worker was built in the same configuration.
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fanout.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Fanout.sln above {AppContext.BaseDirectory}");
    }
}
