using System.Reflection;

namespace Fanout.Benchmarks.Processes;

/// <summary>
/// Where the cluster's programs were built: the project file records their output paths, in this
/// program's own configuration, as assembly metadata (the project references build them first).
/// </summary>
internal static class ProgramPaths
{
    public static string Node => Find("Fanout.NodeProgram");

    public static string Lighthouse => Find("Fanout.LighthouseProgram");

    public static string MakeCerts => Find("Fanout.MakeCerts");

    /// <exception cref="InvalidOperationException">The program is not where the build puts it.</exception>
    private static string Find(string key)
    {
        var path = typeof(ProgramPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
                   ?? throw new InvalidOperationException($"the benchmark was built without the {key} metadata (see its project file)");
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"{path} is not built; `dotnet run -c Release --project tests/Fanout.Benchmarks` builds it with the benchmark");
        return path;
    }
}
