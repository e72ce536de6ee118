namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// Samples the process's resident set every 50 ms and keeps the largest value; beside it, the largest
/// managed heap seen right after a garbage collection (what survived it: the live objects and the
/// heap's fragmentation), which tells what the program holds apart from what the GC has not returned yet. It runs on a thread
/// of its own rather than a timer: a fan-out keeps the thread pool busy, and a pool timer would then
/// fire late and miss the peak.
/// </summary>
internal sealed class RssSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private long _peak;
    private long _peakHeapAfterGc;

    private RssSampler()
    {
        _peak = Environment.WorkingSet;
        _thread = new Thread(Sample) { IsBackground = true, Name = "rss-sampler" };
    }

    public static RssSampler Start()
    {
        var sampler = new RssSampler();
        sampler._thread.Start();
        return sampler;
    }

    /// <summary>Stops sampling, takes one last sample and returns the peaks in bytes.</summary>
    public (long Rss, long HeapAfterGc) Stop()
    {
        if (!_stop.IsSet)
        {
            _stop.Set();
            _thread.Join();
            Record();
        }
        return (Interlocked.Read(ref _peak), Interlocked.Read(ref _peakHeapAfterGc));
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Sample()
    {
        while (!_stop.Wait(Interval))
            Record();
    }

    private void Record()
    {
        RaiseTo(ref _peak, Environment.WorkingSet);
        RaiseTo(ref _peakHeapAfterGc, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
    }

    private static void RaiseTo(ref long peak, long now)
    {
        long seen;
        while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }
    }
}
