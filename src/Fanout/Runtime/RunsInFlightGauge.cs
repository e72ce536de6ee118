namespace Fanout.Runtime;

/// <summary>
/// The running runs one node hosts (started here or resumed here, not yet ended), shared by its run
/// entities. Only a new start is held to <see cref="Limit"/>: a run resumed after a restart or moved here
/// from a lost node is counted but never refused, since refusing it would leave it stuck.
/// </summary>
internal sealed class RunsInFlightGauge(int limit)
{
    private int _count;

    public int Limit { get; } = limit;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts a new run if the node has room for it; false (nothing counted) when it is at the limit.</summary>
    public bool TryAdmit()
    {
        while (true)
        {
            var count = Volatile.Read(ref _count);
            if (count >= Limit) return false;
            if (Interlocked.CompareExchange(ref _count, count + 1, count) == count) return true;
        }
    }

    /// <summary>Counts a run that resumed here, whatever the limit.</summary>
    public void Resumed() => Interlocked.Increment(ref _count);

    /// <summary>A counted run ended, or its entity stopped here.</summary>
    public void Left() => Interlocked.Decrement(ref _count);
}
