using System.Reflection;

namespace Fanout;

/// <summary>
/// A task: a named async function whose every call inside a run becomes an action. This base holds
/// what every task has; <see cref="TaskDefinition{TIn,TOut}"/> adds the typed call.
/// </summary>
public abstract class TaskDefinition
{
    private protected TaskDefinition(TaskEnvironment environment, string name, TaskOptions? options, Assembly? definingAssembly)
    {
        DefiningAssembly = definingAssembly;
        ArgumentNullException.ThrowIfNull(environment);
        options?.Validate();
        Environment = environment;
        ShortName = TaskNames.Validate(name, nameof(name));
        Name = $"{environment.Name}.{ShortName}";
        Options = environment.DefaultOptions.OverriddenBy(options);
    }

    /// <summary>The task's full name, <c>environment.task</c>; it is how nodes find the task's code.</summary>
    public string Name { get; }

    /// <summary>The task's name within its environment.</summary>
    public string ShortName { get; }

    /// <summary>The environment the task is defined on.</summary>
    public TaskEnvironment Environment { get; }

    /// <summary>The task's options: its own over its environment's defaults.</summary>
    public TaskOptions Options { get; }

    /// <summary>The assembly whose code the task's body is, so a node can register its sibling tasks.</summary>
    internal Assembly? DefiningAssembly { get; }

    /// <summary>The task's input type.</summary>
    public abstract Type InputType { get; }

    /// <summary>The task's output type.</summary>
    public abstract Type OutputType { get; }

    /// <summary>Runs the body on a JSON input and returns the JSON output (used by the node that runs the action).</summary>
    internal abstract Task<string> ExecuteJsonAsync(string inputJson, CancellationToken cancellationToken);

    /// <summary>Checks that <paramref name="inputJson"/> deserializes to the input type; throws <see cref="InvalidTaskInputException"/>.</summary>
    internal abstract void ValidateInputJson(string inputJson);

    /// <inheritdoc />
    public override string ToString() => Name;
}
