namespace Fanout;

/// <summary>Calls for tasks that take no input.</summary>
public static class TaskDefinitionExtensions
{
    /// <summary>Calls a task that takes no input (see <see cref="TaskDefinition{TIn,TOut}.InvokeAsync"/>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="options">Options for this call only, over the task's.</param>
    public static Task<TOut> InvokeAsync<TOut>(this TaskDefinition<Unit, TOut> task, TaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.InvokeAsync(Unit.Value, options);
    }
}
