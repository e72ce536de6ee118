using System.Diagnostics;

namespace Fanout.Benchmarks.Dashboard;

/// <summary>This process's CPU (the node serving the pages and running the runs): CPU seconds per wall second over a window.</summary>
internal static class ServerCpu
{
    public static async Task<double> MeasureAsync(TimeSpan window, CancellationToken ct)
    {
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.Delay(window, ct); // the window over which CPU is read, not a wait for an event
        self.Refresh();
        return (self.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds;
    }
}
