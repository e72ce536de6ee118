using System.Diagnostics;
using System.Text;

namespace Fanout.Tests.Packaging;

/// <summary>
/// Runs the `dotnet` CLI as a user at a shell would: outside the test host's MSBuild and test-platform
/// environment, with no build servers left running after it, and an output that a failure quotes.
/// </summary>
internal static class DotnetCommand
{
    /// <summary>Runs `dotnet args` in <paramref name="directory"/> to its end; a non-zero exit fails with its output.</summary>
    public static async Task<string> RunAsync(string directory, IReadOnlyDictionary<string, string> environment, TimeSpan within, params string[] args)
    {
        using var process = Start(directory, environment, args);
        var output = new StringBuilder();
        var reading = Task.WhenAll(
            CopyAsync(process.StandardOutput, output),
            CopyAsync(process.StandardError, output));
        try
        {
            await Support.Deadlines.Within(within, $"`dotnet {string.Join(' ', args)}` in {directory}", process.WaitForExitAsync);
        }
        catch (TimeoutException timedOut)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{timedOut.Message}; its output so far:\n{Tail(output)}", timedOut);
        }
        await reading;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`dotnet {string.Join(' ', args)}` in {directory} exited with {process.ExitCode}:\n{Tail(output)}");
        return output.ToString();
    }

    /// <summary>Starts `dotnet args` with its standard streams redirected, for a program the spec talks to while it runs.</summary>
    public static Process Start(string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // The test host runs under `dotnet test`, whose MSBuild and test-platform variables would steer a child build.
        foreach (var name in info.Environment.Keys.ToList())
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || name == "DOTNET_HOST_PATH")
                info.Environment.Remove(name);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No MSBuild node or compiler server outlives the command (they would stay up after the spec).
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start `dotnet {string.Join(' ', args)}`");
    }

    private static async Task CopyAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (output) output.AppendLine(line);
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            var lines = output.ToString().Split('\n');
            return string.Join('\n', lines.TakeLast(60));
        }
    }
}
