using System.Buffers;
using System.Text;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Splits a list into consecutive chunks bounded in count and in approximate size, so a batch of
/// journal entries stays a modest row and a batch of outcomes fits a remoting frame. An item larger
/// than the size bound on its own travels alone in its chunk; an item too large for any frame is never
/// sent as it is (<see cref="SplitForWire{T}"/>).
/// </summary>
internal static class WeightedChunks
{
    // Characters JSON escapes (what MinimalJsonEncoder escapes): the quote, the backslash, control characters.
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    public static IEnumerable<List<T>> Split<T>(IReadOnlyList<T> items, int maxCount, long maxWeight, Func<T, long> weight)
    {
        var chunk = new List<T>();
        long chunkWeight = 0;
        foreach (var item in items)
        {
            var itemWeight = weight(item);
            if (chunk.Count > 0 && (chunk.Count >= maxCount || chunkWeight + itemWeight > maxWeight))
            {
                yield return chunk;
                chunk = [];
                chunkWeight = 0;
            }
            chunk.Add(item);
            chunkWeight += itemWeight;
        }
        if (chunk.Count > 0) yield return chunk;
    }

    /// <summary>
    /// <see cref="Split{T}"/> for messages between nodes: an item heavier than <see cref="WireLimits.MaxItemBytes"/>
    /// (which Akka.Remote would drop without a word) is handed to <paramref name="tooLarge"/> with its weight and
    /// replaced by what that returns (a failed outcome that names the item, say), or left out when it returns
    /// null (the caller has dealt with it, e.g. failed the action itself).
    /// </summary>
    /// <exception cref="InvalidOperationException">A replacement is itself too large to send.</exception>
    public static IEnumerable<List<T>> SplitForWire<T>(
        IReadOnlyList<T> items, int maxCount, long maxWeight, Func<T, long> weight, Func<T, long, T?> tooLarge) where T : class
    {
        List<T>? fitting = null; // copied only when some item does not fit
        for (var i = 0; i < items.Count; i++)
        {
            var itemWeight = weight(items[i]);
            if (itemWeight <= WireLimits.MaxItemBytes)
            {
                fitting?.Add(items[i]);
                continue;
            }
            fitting ??= items.Take(i).ToList();
            if (tooLarge(items[i], itemWeight) is not { } replacement) continue;
            var replacementWeight = weight(replacement);
            if (replacementWeight > WireLimits.MaxItemBytes)
                throw new InvalidOperationException(
                    $"the replacement of a {itemWeight:N0}-byte {typeof(T).Name} is itself {replacementWeight:N0} bytes, over the {WireLimits.MaxItemBytes:N0} a message can carry");
            fitting.Add(replacement);
        }
        return Split(fitting ?? items, maxCount, maxWeight, weight);
    }

    /// <summary>
    /// About how many bytes an entry or outcome takes once serialized: its payload or id texts as UTF-8
    /// (<paramref name="a"/>, <paramref name="b"/>: payloads travel unescaped), its error as escaped JSON, and a
    /// fixed overhead for the fields and property names around them.
    /// </summary>
    public static long Of(string? a, string? b = null, ErrorInfo? error = null) =>
        128 + Utf8Bytes(a) + Utf8Bytes(b) + (error is null ? 0 : JsonStringBytes(error.Type) + JsonStringBytes(error.Message) + JsonStringBytes(error.StackTrace));

    private static long Utf8Bytes(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);

    /// <summary>The bytes of <paramref name="text"/> as a JSON string value written by <see cref="MinimalJsonEncoder"/>.</summary>
    internal static long JsonStringBytes(string? text)
    {
        if (text is null) return 0;
        long bytes = 2 + Encoding.UTF8.GetByteCount(text);
        var rest = text.AsSpan();
        for (var next = rest.IndexOfAny(Escaped); next >= 0; next = rest.IndexOfAny(Escaped))
        {
            // "\"" and "\\" and the short forms (\n, \t, ...) take one byte more; other control characters, \u00XX, five more.
            bytes += rest[next] is '"' or '\\' or '\n' or '\r' or '\t' or '\b' or '\f' ? 1 : 5;
            rest = rest[(next + 1)..];
        }
        return bytes;
    }
}
