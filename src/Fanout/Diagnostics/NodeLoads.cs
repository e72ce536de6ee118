using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Fanout.Diagnostics;

/// <summary>
/// The executors of this process (one per runtime node; a test may host several), read by the attempts
/// gauges when a metrics listener collects. A reading is a snapshot of counters the executor's own thread
/// updates: good for a gauge, not for decisions.
/// </summary>
internal static class NodeLoads
{
    private static readonly ConcurrentDictionary<Registration, byte> Registered = new();

    /// <summary>Adds a node's executor; dispose the result when the executor stops.</summary>
    public static IDisposable Register(string node, Func<(int Running, int Waiting)> read)
    {
        RunMetrics.EnsureCreated();
        var registration = new Registration(node, read);
        Registered.TryAdd(registration, 0);
        return registration;
    }

    public static IEnumerable<Measurement<int>> Read(bool running)
    {
        foreach (var registration in Registered.Keys)
        {
            var (busy, waiting) = registration.Read();
            yield return new Measurement<int>(Math.Max(0, running ? busy : waiting),
                new KeyValuePair<string, object?>(RunMetrics.NodeTag, registration.Node));
        }
    }

    private sealed class Registration(string node, Func<(int Running, int Waiting)> read) : IDisposable
    {
        public string Node { get; } = node;
        public Func<(int Running, int Waiting)> Read { get; } = read;
        public void Dispose() => Registered.TryRemove(this, out _);
    }
}
