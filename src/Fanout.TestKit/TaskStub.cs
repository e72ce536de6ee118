namespace Fanout.TestKit;

/// <summary>
/// A stand-in for a task on one test runtime: every attempt of an action of that task runs the stub instead of the
/// task's body. <see cref="TaskStub{TIn,TOut}"/> says what it does and records its calls.
/// </summary>
public abstract class TaskStub
{
    private protected TaskStub(TaskDefinition task) => Task = task;

    /// <summary>The task this stub stands in for.</summary>
    public TaskDefinition Task { get; }

    /// <summary>How many times the stub ran: every attempt counts, retries included.</summary>
    public abstract int CallCount { get; }

    /// <summary>Runs the stub on a JSON input (the executor's side).</summary>
    internal abstract Task<string> RunJsonAsync(string inputJson, CancellationToken cancellationToken);
}
