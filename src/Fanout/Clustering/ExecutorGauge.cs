namespace Fanout.Clustering;

/// <summary>
/// The latest load an executor reported, as its node's <see cref="ExecutorDirectory"/> heard it. The
/// directory swaps the reading in; the runs of the node read it on their own threads at every placement,
/// so load reaches them without a message per run or per placement.
/// </summary>
internal sealed class ExecutorGauge
{
    private volatile LoadReading? _reading;

    /// <summary>The latest reading; null until the executor's first report arrives.</summary>
    public LoadReading? Reading => _reading;

    /// <summary>Replaces the reading (the directory's thread only); each reading gets the next version.</summary>
    public void Update(ExecutorLoad load) =>
        _reading = new LoadReading(load.Running, load.Waiting, load.Slots, load.MaxWaiting, load.Full, (_reading?.Version ?? 0) + 1);
}

/// <summary>One report of an executor's load; <see cref="Version"/> grows with every report, so a reader tells a new one from one it saw.</summary>
internal sealed record LoadReading(int Running, int Waiting, int Slots, int MaxWaiting, bool Full, long Version)
{
    /// <summary>Everything the executor holds or may hold: its slots and its queue.</summary>
    public long Capacity => (long)Slots + MaxWaiting;

    /// <summary>How many more attempts it took at the time of the reading before it would turn one away.</summary>
    public long Room => Math.Max(0, Capacity - Running - Waiting);
}
