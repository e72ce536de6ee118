using System.Globalization;

namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// A worker's console log read with its timestamps (the node logs "HH:mm:ss.fff level: category message",
/// local time), so a spec can place what a node did on the same clock as the trace and its own actions.
/// </summary>
internal static class NodeLog
{
    /// <summary>When the first line after <paramref name="afterMs"/> (unix ms) containing <paramref name="text"/> was logged, in unix ms; null if none.</summary>
    public static long? FirstAfter(string output, string text, long afterMs) =>
        Lines(output).Where(l => l.AtMs >= afterMs && l.Text.Contains(text, StringComparison.Ordinal)).Select(l => (long?)l.AtMs).FirstOrDefault();

    public static IEnumerable<(long AtMs, string Text)> Lines(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            if (line.Length < 13 || !TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var time)) continue;
            yield return (ToUnixMs(time), line[13..]);
        }
    }

    // The log has the time of day only: today's, or yesterday's for a line written just before midnight.
    private static long ToUnixMs(TimeSpan timeOfDay)
    {
        var now = DateTimeOffset.Now;
        var at = new DateTimeOffset(now.Date + timeOfDay, now.Offset);
        if (at > now.AddHours(1)) at = at.AddDays(-1);
        return at.ToUnixTimeMilliseconds();
    }
}
