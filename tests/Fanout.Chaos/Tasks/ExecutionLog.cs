using System.Globalization;

namespace Fanout.Chaos.Tasks;

/// <summary>
/// What the chaos tasks write about themselves, in the folder named by <see cref="FolderVariable"/>: one
/// line per body execution, in one file per process (<c>exec-PID.log</c>: .NET's FileMode.Append writes at
/// the offset found on opening, so two processes appending to one file lose lines), flushed before the
/// body does anything else, so that a kill -9 after the body started cannot hide the execution.
/// Also the tries counter of the retry pattern: one marker file per execution, which every process sees.
/// </summary>
internal static class ExecutionLog
{
    /// <summary>The environment variable the harness sets for its workers.</summary>
    public const string FolderVariable = "FANOUT_CHAOS_LOG_DIR";

    private static readonly Lazy<StreamWriter> Writer = new(Open);

    /// <summary>Notes that the body of <paramref name="task"/> for <paramref name="key"/> is starting here, now.</summary>
    public static void Started(string task, string key)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\t{Environment.ProcessId}\t{task}\t{key}");
        var writer = Writer.Value;
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    /// <summary>Counts this execution among every process's executions for <paramref name="key"/>; returns the count, this one included.</summary>
    public static int CountTry(string key)
    {
        var folder = Path.Combine(Folder(), "tries", key.Replace('/', '_'));
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"{Environment.ProcessId}-{Guid.NewGuid():N}"), []);
        return Directory.GetFiles(folder).Length;
    }

    /// <summary>Every execution recorded in <paramref name="folder"/>, by (task, key).</summary>
    public static Dictionary<(string Task, string Key), List<Execution>> Read(string folder)
    {
        var executions = new Dictionary<(string, string), List<Execution>>();
        foreach (var file in Directory.EnumerateFiles(folder, "exec-*.log"))
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split('\t');
                // A line cut short by a kill in the middle of its write is the only kind that is not whole.
                if (parts.Length != 4 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var at)
                                      || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)) continue;
                if (!executions.TryGetValue((parts[2], parts[3]), out var list)) executions[(parts[2], parts[3])] = list = [];
                list.Add(new Execution(DateTimeOffset.FromUnixTimeMilliseconds(at), pid));
            }
        }
        return executions;
    }

    private static string Folder() =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder
            ? folder
            : throw new InvalidOperationException($"{FolderVariable} is not set: the chaos tasks run only on the harness's workers");

    private static StreamWriter Open()
    {
        var stream = new FileStream(Path.Combine(Folder(), $"exec-{Environment.ProcessId}.log"), FileMode.Append, FileAccess.Write, FileShare.Read);
        return new StreamWriter(stream) { AutoFlush = false };
    }
}

/// <summary>One execution of a body: when it started and in which process.</summary>
internal sealed record Execution(DateTimeOffset At, int ProcessId);
