namespace Fanout;

/// <summary>Where one action (one call of a task) is in its life.</summary>
public enum ActionStatus
{
    /// <summary>
    /// Called and journaled, waiting to start its next attempt: its run already has its limit of actions in
    /// flight (<see cref="FanoutRuntimeOptions.MaxActionsInFlightPerRun"/>), no live node may run it yet, or
    /// its last attempt was handed back by a node that is leaving and the next one waits for its place.
    /// </summary>
    Queued,

    /// <summary>An attempt is executing on some node.</summary>
    Running,

    /// <summary>An attempt failed; the next one starts after the retry backoff.</summary>
    Retrying,

    /// <summary>The action returned a result, which is journaled and never computed again.</summary>
    Succeeded,

    /// <summary>The action failed after its retry budget, or with an error no retry can fix.</summary>
    Failed,

    /// <summary>The action was cancelled with its run.</summary>
    Cancelled,
}
