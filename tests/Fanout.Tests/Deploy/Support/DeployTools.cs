using System.ComponentModel;
using System.Diagnostics;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Fanout.Tests.Deploy.Support;

/// <summary>
/// The offline tools the deployment specs read the files with (no Docker engine or Kubernetes cluster): docker-compose
/// and kubectl must be on PATH; a missing one fails the spec and says how to install it.
/// </summary>
internal static class DeployTools
{
    public const string ComposeInstall =
        "run the tests with tests/run.sh, which installs it as root, or install Debian's package: " +
        "`apt-get install -y --no-install-recommends docker-compose` " +
        "(only the client is needed: `docker-compose config` reads the file without a Docker engine)";

    public const string KubectlInstall =
        "run the tests with tests/run.sh, which installs kubectl 1.32 as root. " +
        "It must be 1.21 or later: older clients (Debian's kubernetes-client 1.20) embed a kustomize that cannot take folders as resources";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    public static string Root => RepoPaths.Root;

    /// <summary>Runs a tool in the repository root; its standard output, which must be YAML, when it exits 0.</summary>
    public static async Task<YamlStream> RunYaml(string tool, string howToInstall, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var (exitCode, output) = await Run(tool, howToInstall, environment, args);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', args)} exited {exitCode}:\n{output}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        return yaml;
    }

    /// <summary>
    /// Runs a tool in the repository root with <paramref name="environment"/> laid over this process's (a null value
    /// removes the variable): its exit code, and its standard output (followed by its standard error when it fails).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> Run(string tool, string howToInstall,
        IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        if (!OnPath(tool))
            Assert.Fail($"{tool} is not on PATH: {howToInstall}.");
        var info = new ProcessStartInfo(tool)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{tool} could not be started ({e.Message}): {howToInstall}.");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await Deadlines.Within(ToolTimeout, $"{tool} {string.Join(' ', args)} to exit", process.WaitForExitAsync);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var output = await stdout.Within(ToolTimeout, $"the end of {tool}'s output (something it started holds it open)");
            return (process.ExitCode, process.ExitCode == 0 ? output : $"{output}\n{await stderr.Within(ToolTimeout, $"the end of {tool}'s error output")}");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(folder => File.Exists(Path.Combine(folder, tool)));
}
