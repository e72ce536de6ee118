using Fanout.Benchmarks.Processes;

namespace Fanout.Chaos.Cluster;

/// <summary>
/// One of the cluster's worker places (worker-1, worker-2, ...): the process now in it, and how many
/// processes it has had. A process that exits without the harness stopping it is an unplanned exit.
/// </summary>
internal sealed class WorkerSlot(string name)
{
    public string Name { get; } = name;

    /// <summary>The process now in this place (1 for the first, one more for each restart).</summary>
    public int Incarnation { get; set; }

    public ChildProcess? Process { get; set; }

    /// <summary>The record of the process now in this place.</summary>
    public ProcessLife? Life { get; set; }

    /// <summary>Set while the harness is stopping or killing the process, so its exit is not taken for a crash.</summary>
    public bool StopPlanned { get; set; }

    /// <summary>The incarnation's name in logs: worker-2.3 is worker-2's third process.</summary>
    public string IncarnationName => $"{Name}.{Incarnation}";

    /// <summary>Whether the process has exited although nobody stopped it.</summary>
    public bool ExitedUnplanned => Process is { Exited.IsCompleted: true } && !StopPlanned;
}
