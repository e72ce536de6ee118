namespace Fanout;

/// <summary>An awaited action was cancelled because its run was cancelled.</summary>
public sealed class ActionCancelledException : FanoutException
{
    /// <summary>Creates the exception for a cancelled action.</summary>
    public ActionCancelledException(string actionId, string taskName)
        : base($"Task '{taskName}' was cancelled (action {actionId})")
    {
        ActionId = actionId;
        TaskName = taskName;
    }

    /// <summary>The cancelled action's id.</summary>
    public string ActionId { get; }

    /// <summary>The full name of the task the action ran.</summary>
    public string TaskName { get; }
}
