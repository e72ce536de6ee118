using System.Collections.Concurrent;
using Fanout.Runtime.Hooks;

namespace Fanout.TestKit;

/// <summary>The stubs of one test runtime, by task name: the executor runs these instead of the tasks.</summary>
internal sealed class StubOverrides : ITaskOverrides
{
    private readonly ConcurrentDictionary<string, TaskStub> _stubs = new(StringComparer.Ordinal);

    public Func<string, CancellationToken, Task<string>>? Find(string taskName) =>
        _stubs.TryGetValue(taskName, out var stub) ? stub.RunJsonAsync : null;

    public TaskStub<TIn, TOut> GetOrAdd<TIn, TOut>(TaskDefinition<TIn, TOut> task, Func<TaskStub<TIn, TOut>> create)
    {
        var stub = _stubs.GetOrAdd(task.Name, _ => create());
        return stub as TaskStub<TIn, TOut>
               ?? throw new InvalidOperationException($"Task '{task.Name}' is already stubbed with other types ({stub.GetType().Name})");
    }

    public bool Remove(TaskDefinition task) => _stubs.TryRemove(task.Name, out _);

    public void Clear() => _stubs.Clear();
}
