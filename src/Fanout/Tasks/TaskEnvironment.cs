namespace Fanout;

/// <summary>
/// A named set of tasks that share default options and a node role, like Flyte's <c>TaskEnvironment</c>.
/// Define tasks on it with <see cref="Task{TIn,TOut}(string, Func{TIn, CancellationToken, Task{TOut}}, TaskOptions?)"/>;
/// a task's full name is <c>environment.task</c>.
/// </summary>
public sealed class TaskEnvironment
{
    /// <summary>Creates an environment.</summary>
    /// <param name="name">The environment's name: letters, digits, <c>_</c> and <c>-</c>.</param>
    /// <param name="defaultOptions">Options every task defined here inherits.</param>
    /// <param name="role">
    /// The node role that runs this environment's actions; null for any node. The embedded runtime's
    /// single node takes every role.
    /// </param>
    /// <exception cref="ArgumentException">The name is empty or has other characters.</exception>
    public TaskEnvironment(string name, TaskOptions? defaultOptions = null, string? role = null)
    {
        Name = TaskNames.Validate(name, nameof(name));
        defaultOptions?.Validate();
        DefaultOptions = defaultOptions ?? new TaskOptions();
        Role = role;
    }

    /// <summary>The environment's name.</summary>
    public string Name { get; }

    /// <summary>Options every task of this environment inherits.</summary>
    public TaskOptions DefaultOptions { get; }

    /// <summary>The node role that runs this environment's actions; null for any node.</summary>
    public string? Role { get; }

    /// <summary>Defines a task taking <typeparamref name="TIn"/> and returning <typeparamref name="TOut"/>.</summary>
    /// <param name="name">The task's name within the environment.</param>
    /// <param name="body">The task's code; its token fires on timeout or when the run is cancelled.</param>
    /// <param name="options">Options for this task, over the environment's defaults.</param>
    /// <exception cref="TaskTypeNotSerializableException">An input or output type cannot round-trip through System.Text.Json.</exception>
    /// <exception cref="ArgumentException">The name is invalid or already taken by another task.</exception>
    public TaskDefinition<TIn, TOut> Task<TIn, TOut>(
        string name, Func<TIn, CancellationToken, Task<TOut>> body, TaskOptions? options = null) =>
        new(this, name, body, options, body);

    /// <summary>Defines a task that does not need a cancellation token.</summary>
    /// <inheritdoc cref="Task{TIn,TOut}(string, Func{TIn, CancellationToken, Task{TOut}}, TaskOptions?)"/>
    public TaskDefinition<TIn, TOut> Task<TIn, TOut>(string name, Func<TIn, Task<TOut>> body, TaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new(this, name, (input, _) => body(input), options, body);
    }

    /// <summary>Defines a task that takes no input; call it with <see cref="TaskDefinitionExtensions.InvokeAsync{TOut}"/>.</summary>
    /// <inheritdoc cref="Task{TIn,TOut}(string, Func{TIn, CancellationToken, Task{TOut}}, TaskOptions?)"/>
    public TaskDefinition<Unit, TOut> Task<TOut>(string name, Func<CancellationToken, Task<TOut>> body, TaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new(this, name, (_, ct) => body(ct), options, body);
    }

    /// <summary>Defines a task that returns no value; awaiting its call gives <see cref="Unit"/>.</summary>
    /// <inheritdoc cref="Task{TIn,TOut}(string, Func{TIn, CancellationToken, Task{TOut}}, TaskOptions?)"/>
    public TaskDefinition<TIn, Unit> Task<TIn>(string name, Func<TIn, CancellationToken, Task> body, TaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new(this, name, async (input, ct) =>
        {
            await body(input, ct).ConfigureAwait(false);
            return Unit.Value;
        }, options, body);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
