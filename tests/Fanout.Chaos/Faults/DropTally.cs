using System.Globalization;

namespace Fanout.Chaos.Faults;

/// <summary>
/// How many payload frames this process wrote and how many it dropped, rewritten to
/// <c>drops-PID.txt</c> in a folder every second (a kill -9 loses at most the last second's counts), so
/// that the harness can report how much loss the cluster really saw.
/// </summary>
internal sealed class DropTally
{
    private static readonly object Gate = new();
    private static DropTally? _instance;

    private readonly string? _file;
    private readonly Timer? _timer;
    private long _written;
    private long _dropped;

    private DropTally(string? folder)
    {
        if (folder is null) return;
        _file = Path.Combine(folder, $"drops-{Environment.ProcessId}.txt");
        // Lives as long as the process, like the tally.
        _timer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The process's tally (one per process, however many actor systems it starts).</summary>
    public static DropTally Start(string? folder)
    {
        lock (Gate) return _instance ??= new DropTally(folder);
    }

    public void Count(bool dropped)
    {
        Interlocked.Increment(ref _written);
        if (dropped) Interlocked.Increment(ref _dropped);
    }

    public void Flush()
    {
        if (_file is null || _timer is null) return;
        var line = string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Read(ref _written)} {Interlocked.Read(ref _dropped)}\n");
        try
        {
            File.WriteAllText(_file + ".tmp", line);
            File.Move(_file + ".tmp", _file, overwrite: true);
        }
        catch (IOException)
        {
            // the next second writes it again
        }
    }

    /// <summary>Sums every process's last counts in <paramref name="folder"/>: (payload frames written, dropped).</summary>
    public static (long Written, long Dropped) Read(string folder)
    {
        var (written, dropped) = (0L, 0L);
        foreach (var file in Directory.EnumerateFiles(folder, "drops-*.txt"))
        {
            var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2) continue;
            written += long.Parse(parts[0], CultureInfo.InvariantCulture);
            dropped += long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return (written, dropped);
    }
}
