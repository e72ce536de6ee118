namespace Fanout.Runtime;

/// <summary>
/// Splits a list into consecutive chunks bounded in count and in approximate size, so a batch of
/// journal entries stays a modest row and a batch of outcomes fits a remoting frame. An item larger
/// than the size bound on its own still travels, alone in its chunk.
/// </summary>
internal static class WeightedChunks
{
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

    /// <summary>Roughly how many bytes an entry or outcome takes once serialized: its text plus a fixed overhead.</summary>
    public static long Of(string? a, string? b = null, Protocol.ErrorInfo? error = null) =>
        128 + (a?.Length ?? 0) + (b?.Length ?? 0) + (error is null ? 0 : error.Type.Length + error.Message.Length + (error.StackTrace?.Length ?? 0));
}
