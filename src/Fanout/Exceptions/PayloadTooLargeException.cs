namespace Fanout;

/// <summary>
/// A task's input or output is larger, as JSON, than <see cref="FanoutRuntimeOptions.MaxPayloadBytes"/>.
/// Payloads are journaled and sent between nodes, so large data belongs in storage the task can
/// read (a file, a blob store), passed by reference.
/// </summary>
public sealed class PayloadTooLargeException : FanoutException
{
    /// <summary>Creates the exception naming the task, which payload, its size and the limit.</summary>
    public PayloadTooLargeException(string taskName, string what, long bytes, long limit)
        : base($"The {what} of task '{taskName}' is {bytes:N0} bytes as JSON, over the limit of {limit:N0} bytes " +
               $"(FanoutRuntimeOptions.MaxPayloadBytes); pass large data by reference instead")
    {
        TaskName = taskName;
        Bytes = bytes;
        Limit = limit;
    }

    /// <summary>The task whose input or output was too large.</summary>
    public string TaskName { get; }

    /// <summary>The payload's size in bytes (UTF-8 JSON).</summary>
    public long Bytes { get; }

    /// <summary>The limit in force.</summary>
    public long Limit { get; }
}
