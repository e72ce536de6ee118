using System.Globalization;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// The processor time the whole machine has spent busy, from /proc/stat: with the benchmark's own
/// processes' times taken away, what is left of a cluster run's is mostly PostgreSQL's.
/// </summary>
internal static class MachineCpu
{
    // /proc/stat counts in USER_HZ, which Linux fixes at 100 for user space whatever the kernel's tick.
    private const double TicksPerSecond = 100;

    /// <summary>Busy time over all cores since boot, or null where there is no /proc/stat (not Linux).</summary>
    public static TimeSpan? Busy()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
