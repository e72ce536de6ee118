using System.Collections.Concurrent;

namespace Fanout.Tests.Browser;

/// <summary>
/// A closed gate that <see cref="BrowserTasks.GatedLeaf"/> actions wait on, named in the run's input so specs running
/// at once never share one; the spec lets the leaves through a few at a time.
/// </summary>
public sealed class Gate : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Open = new();

    private readonly SemaphoreSlim _semaphore = new(0);

    public Gate() => Open[Name] = _semaphore;

    public string Name { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Lets <paramref name="leaves"/> more waiting leaves finish.</summary>
    public void Release(int leaves) => _semaphore.Release(leaves);

    /// <summary>Waits for one release of the gate <paramref name="name"/>.</summary>
    public static Task PassAsync(string name, CancellationToken ct) =>
        Open.TryGetValue(name, out var semaphore)
            ? semaphore.WaitAsync(ct)
            : throw new InvalidOperationException($"no gate named {name} is open in this process");

    public void Dispose() => Open.TryRemove(Name, out _);
}
