namespace Fanout;

/// <summary>
/// An action failed after its retry budget (or with an error no retry can fix). Thrown where the
/// action was awaited: in the parent task, by <see cref="Workflow.Gather{T}(IEnumerable{Task{T}})"/>,
/// or by <see cref="RunHandle{T}.WaitAsync"/> for the run's root. Carries what the node that ran the
/// last attempt saw: the remote exception's type, message and stack trace.
/// </summary>
public sealed class ActionFailedException : FanoutException
{
    /// <summary>Creates the exception for a failed action.</summary>
    public ActionFailedException(string actionId, string taskName, int attempts, ActionError error)
        : base($"Task '{taskName}' failed after {attempts} attempt(s) (action {actionId}): {error.Type}: {error.Message}")
    {
        ActionId = actionId;
        TaskName = taskName;
        Attempts = attempts;
        Error = error;
    }

    /// <summary>The failed action's id.</summary>
    public string ActionId { get; }

    /// <summary>The full name of the task the action ran.</summary>
    public string TaskName { get; }

    /// <summary>How many attempts were started.</summary>
    public int Attempts { get; }

    /// <summary>The last attempt's error as journaled.</summary>
    public ActionError Error { get; }

    /// <summary>The remote exception's full type name.</summary>
    public string RemoteType => Error.Type;

    /// <summary>The remote exception's message.</summary>
    public string RemoteMessage => Error.Message;

    /// <summary>The remote exception's stack trace, on the node that ran the attempt.</summary>
    public string? RemoteStackTrace => Error.StackTrace;
}
