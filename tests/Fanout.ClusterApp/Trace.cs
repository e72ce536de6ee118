namespace Fanout.ClusterApp;

/// <summary>Appends what a task does, and where, to the spec's log file (shared by every node on the machine).</summary>
internal static class Trace
{
    private static readonly object Gate = new();

    public static string Node { get; } = Environment.GetEnvironmentVariable("FANOUT_NODE_NAME") ?? $"pid-{Environment.ProcessId}";

    public static void Write(string what, string subject)
    {
        if (Environment.GetEnvironmentVariable("FANOUT_TEST_LOG") is not { Length: > 0 } path) return;
        var line = $"{what} {subject} {Node} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\n";
        lock (Gate)
        {
            // One short append per line: O_APPEND keeps lines from different processes whole.
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var bytes = System.Text.Encoding.UTF8.GetBytes(line);
            stream.Write(bytes, 0, bytes.Length);
        }
    }
}
