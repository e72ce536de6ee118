using System.Diagnostics;
using System.Globalization;
using Fanout.Benchmarks.Measurement;
using Fanout.Benchmarks.Processes;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// Where the processor time of a cluster run went: each worker, the lighthouse, this process (the client)
/// and the rest of the machine, which on a benchmark machine is mostly PostgreSQL. Null where a figure
/// cannot be read (a process gone, no /proc).
/// </summary>
internal sealed class ClusterCpu
{
    private const string Client = "client";
    private const string Machine = "machine";

    private readonly BenchCluster _cluster;
    private readonly Dictionary<string, TimeSpan?> _start;

    private ClusterCpu(BenchCluster cluster)
    {
        _cluster = cluster;
        _start = Read();
    }

    public static ClusterCpu Start(BenchCluster cluster) => new(cluster);

    /// <summary>The seconds each used since <see cref="Start"/>, as one line for the scenario's note.</summary>
    public string Describe(TimeSpan wall)
    {
        var end = Read();
        var used = _start.Keys.ToDictionary(key => key, key => end[key] - _start[key]);
        var ours = used.Where(u => u.Key != Machine).Sum(u => u.Value?.TotalSeconds ?? 0);
        var parts = used.Where(u => u.Key != Machine).Select(u => $"{u.Key} {Seconds(u.Value)}").ToList();
        parts.Add($"rest of the machine (PostgreSQL) {Seconds(used[Machine] - TimeSpan.FromSeconds(ours))}");
        return $"CPU s in the timed run ({Environment.ProcessorCount} cores x {wall.TotalSeconds:F1} s wall): {string.Join(", ", parts)}";
    }

    private Dictionary<string, TimeSpan?> Read()
    {
        var times = _cluster.Processes.ToDictionary(p => p.Name, p => p.CpuTime());
        using var self = Process.GetCurrentProcess();
        times[Client] = self.TotalProcessorTime;
        times[Machine] = MachineCpu.Busy();
        return times;
    }

    private static string Seconds(TimeSpan? time) => time?.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) ?? "n/a";
}
