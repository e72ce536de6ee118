using static Fanout.Workflow;

namespace Fanout.CrashHost;

/// <summary>A slow fan-out whose every executed item leaves a line in a file, so a test can count executions.</summary>
public static class CrashTasks
{
    /// <summary>How many items run at once; bounds how many executions a crash can lose.</summary>
    public const int Concurrency = 4;

    private static readonly string LogPath = Environment.GetEnvironmentVariable("FANOUT_CRASH_LOG")
        ?? throw new InvalidOperationException("FANOUT_CRASH_LOG is not set");

    private static readonly TaskEnvironment Env = new("crash");

    /// <summary>One item: a little work, then a line in the log, then the result.</summary>
    public static readonly TaskDefinition<int, int> Item = Env.Task("item", async (int i, CancellationToken ct) =>
    {
        await Task.Delay(40, ct);
        lock (LogPath) File.AppendAllText(LogPath, $"{Environment.ProcessId} {i}\n");
        return i * 2;
    });

    /// <summary>The run's root: every item through a bounded map.</summary>
    public static readonly TaskDefinition<int, int[]> Main = Env.Task("main", (int n, CancellationToken ct) =>
        Map(Item, Enumerable.Range(0, n), Concurrency));
}
