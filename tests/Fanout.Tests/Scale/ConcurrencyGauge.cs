namespace Fanout.Tests.Scale;

/// <summary>Counts task bodies running at once and remembers the most there ever were.</summary>
public sealed class ConcurrencyGauge
{
    private int _now;
    private int _peak;
    private int _entered;

    public int Peak => Volatile.Read(ref _peak);
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Marks a body running until the returned scope is disposed.</summary>
    public IDisposable Enter()
    {
        Interlocked.Increment(ref _entered);
        var now = Interlocked.Increment(ref _now);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak) { }
        return new Exit(this);
    }

    private sealed class Exit(ConcurrencyGauge gauge) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref gauge._now);
    }
}
