using System.Runtime.CompilerServices;

namespace Fanout.Runtime;

/// <summary>
/// The map helper outside any run (tasks called inline): the same contract as the streamed form —
/// input order, at most <c>concurrency</c> calls in flight, items pulled only as calls finish.
/// </summary>
internal static class BoundedMap
{
    public static async IAsyncEnumerable<TOut> RunInline<TIn, TOut>(
        IEnumerable<TIn> items, int concurrency, Func<TIn, Task<TOut>> call,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = new Queue<Task<TOut>>(concurrency);
        using var source = items.GetEnumerator();
        while (true)
        {
            while (window.Count < concurrency && source.MoveNext())
                window.Enqueue(call(source.Current));
            if (window.Count == 0) yield break;
            cancellationToken.ThrowIfCancellationRequested();
            yield return await window.Dequeue().ConfigureAwait(false);
        }
    }
}
