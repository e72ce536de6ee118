using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Fanout.Runtime.Index;

/// <summary>
/// Where a page of the runs list ended: the last run's start time and id, the key the list is ordered by,
/// so the next page starts right after it however many runs were started meanwhile. Opaque to callers.
/// </summary>
internal readonly record struct RunListCursor(long StartedAtMs, string RunId)
{
    public string Write() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{StartedAtMs}:{RunId}")));

    public static bool TryRead(string text, out RunListCursor cursor)
    {
        cursor = default;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        var decoded = Encoding.UTF8.GetString(bytes);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(decoded.AsSpan(0, colon), NumberStyles.Integer, CultureInfo.InvariantCulture, out var started))
            return false;
        var runId = decoded[(colon + 1)..];
        if (RunIds.Problem(runId) is not null) return false;
        cursor = new RunListCursor(started, runId);
        return true;
    }
}
