namespace Fanout;

/// <summary>Thrown by <see cref="RunHandle{T}.WaitAsync"/> when the run was cancelled.</summary>
public sealed class RunCancelledException : FanoutException
{
    /// <summary>Creates the exception for a cancelled run.</summary>
    public RunCancelledException(string runId) : base($"Run {runId} was cancelled")
    {
        RunId = runId;
    }

    /// <summary>The cancelled run's id.</summary>
    public string RunId { get; }
}
