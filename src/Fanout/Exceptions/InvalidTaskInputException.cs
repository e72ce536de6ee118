namespace Fanout;

/// <summary>A task's input (or output) could not be converted to or from its JSON form.</summary>
public sealed class InvalidTaskInputException : FanoutException
{
    /// <summary>Creates the exception for a payload that does not fit the task's type.</summary>
    public InvalidTaskInputException(string taskName, Type expectedType, string reason, Exception? innerException = null)
        : base($"Input for task '{taskName}' is not a valid {expectedType.Name}: {reason}", innerException)
    {
        TaskName = taskName;
        ExpectedType = expectedType;
    }

    /// <summary>The task the input was meant for.</summary>
    public string TaskName { get; }

    /// <summary>The type the input must deserialize to.</summary>
    public Type ExpectedType { get; }
}
