namespace Fanout.Chaos.Cluster;

/// <summary>One worker process from start to exit, and how it ended: what an extra execution is explained by.</summary>
internal sealed class ProcessLife(string name, int processId, DateTimeOffset startedAt)
{
    public string Name { get; } = name;
    public int ProcessId { get; } = processId;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset? ExitedAt { get; set; }

    /// <summary>kill -9, SIGTERM, unplanned exit or the final stop; null while it runs.</summary>
    public string? EndedBy { get; set; }
}
