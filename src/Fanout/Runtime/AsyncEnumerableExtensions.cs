using System.Runtime.CompilerServices;

namespace Fanout.Runtime;

internal static class AsyncEnumerableExtensions
{
    /// <summary>Turns a configured enumerable back into a plain one, keeping its cancellation.</summary>
    public static async IAsyncEnumerable<T> AsEnumerable<T>(this ConfiguredCancelableAsyncEnumerable<T> source)
    {
        await foreach (var item in source)
            yield return item;
    }
}
