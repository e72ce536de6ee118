namespace Fanout;

/// <summary>
/// Thrown when a task is defined with an input or output type that cannot round-trip through
/// System.Text.Json, so the mistake shows when the task is defined, not on a remote node at run time.
/// </summary>
public sealed class TaskTypeNotSerializableException : FanoutException
{
    /// <summary>Creates the exception naming the task, the type and why it cannot round-trip.</summary>
    public TaskTypeNotSerializableException(string taskName, Type type, string reason, Exception? innerException = null)
        : base($"Task '{taskName}' cannot use {type.FullName ?? type.Name} as input or output: {reason}", innerException)
    {
        TaskName = taskName;
        Type = type;
    }

    /// <summary>The task being defined.</summary>
    public string TaskName { get; }

    /// <summary>The type that cannot round-trip.</summary>
    public Type Type { get; }
}
