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
        const int shown = 20;
        var all = knownTasks.Order(StringComparer.Ordinal).ToList();
        if (all.Count == 0)
            return $"Unknown task '{taskName}'. No tasks are defined here: load the assembly that defines them.";

        // The tasks of the same environment are the likeliest to be what was meant: list them first.
        var environment = taskName.Contains('.') ? taskName[..(taskName.IndexOf('.') + 1)] : null;
        var candidates = environment is null ? all : all.Where(t => t.StartsWith(environment, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0) candidates = all;
        var list = string.Join(", ", candidates.Take(shown));
        var more = all.Count - Math.Min(shown, candidates.Count);
        return $"Unknown task '{taskName}'. Tasks are named '<environment>.<task>'; known here: {list}"
               + (more > 0 ? $" (and {more} more)" : "");
    }
}
