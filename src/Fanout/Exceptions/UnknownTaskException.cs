namespace Fanout;

/// <summary>No task of this name is defined in the process that was asked to run it.</summary>
public sealed class UnknownTaskException : FanoutException
{
    /// <summary>Creates the exception for an unknown task name.</summary>
    public UnknownTaskException(string taskName, IEnumerable<string> knownTasks)
        : base(BuildMessage(taskName, knownTasks))
    {
        TaskName = taskName;
    }

    /// <summary>The task name that was asked for.</summary>
    public string TaskName { get; }

    private static string BuildMessage(string taskName, IEnumerable<string> knownTasks)
    {
        var known = knownTasks.Order(StringComparer.Ordinal).Take(20).ToList();
        var list = known.Count == 0 ? "none" : string.Join(", ", known);
        return $"Unknown task '{taskName}'. Tasks are named '<environment>.<task>'; known here: {list}";
    }
}
