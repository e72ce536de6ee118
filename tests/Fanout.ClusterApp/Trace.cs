namespace Fanout.ClusterApp;

/// <summary>
/// Appends what a task does, and where, to the spec's log: one file per node (the log's path plus
/// ".&lt;node&gt;"), because .NET appends at the offset it found on opening, so two processes appending to
/// one file can overwrite each other's lines.
/// </summary>
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
            using var stream = new FileStream($"{path}.{Node}", FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var bytes = System.Text.Encoding.UTF8.GetBytes(line);
            stream.Write(bytes, 0, bytes.Length);
        }
    }
}
