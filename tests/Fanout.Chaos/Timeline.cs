namespace Fanout.Chaos;

/// <summary>
/// The session's events in order (faults, restarts, runs started and ended), written to timeline.log in
/// the logs folder and, with --verbose, to the console: what a failure is read against.
/// </summary>
internal sealed class Timeline(string path, bool echo) : IDisposable
{
    private readonly StreamWriter _writer = new(path) { AutoFlush = true };

    public void Write(string line)
    {
        var stamped = $"{DateTime.Now:HH:mm:ss.fff} {line}";
        lock (_writer) _writer.WriteLine(stamped);
        if (echo) Console.WriteLine(stamped);
    }

    public void Dispose()
    {
        lock (_writer) _writer.Dispose();
    }
}
