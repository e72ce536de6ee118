using Fanout.Tests.Support;

namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// Starts the worker program (Fanout.Node) alone on loopback with free ports and a SQLite file of its own, for specs of
/// how it treats its settings: most end with the process exiting, and the spec reads its exit code and output.
/// </summary>
internal static class NodeProgramRun
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    /// <summary>The environment of a lone node (loopback, port 0, a fresh SQLite file) with <paramref name="settings"/> laid over it.</summary>
    public static Dictionary<string, string> Env(params (string Key, string Value)[] settings)
    {
        var env = new Dictionary<string, string>
        {
            ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = "0", ["FANOUT_HTTP_PORT"] = "0",
            ["FANOUT_DB_PATH"] = Path.Combine(Path.GetTempPath(), $"fanout-node-{Guid.NewGuid():N}.db"),
        };
        foreach (var (key, value) in settings) env[key] = value;
        return env;
    }

    /// <summary>Runs the node with <paramref name="env"/> until it exits (at most a minute, else the spec fails naming the wait).</summary>
    public static async Task<(int ExitCode, string Output)> UntilExitAsync(Dictionary<string, string> env)
    {
        using var node = HostProcess.Start(RepoPaths.NodeProgram, env);
        var exit = await node.WaitForExitAsync(Within);
        return (exit, node.Output);
    }
}
