namespace Fanout;

/// <summary>Where a run is in its life.</summary>
public enum RunStatus
{
    /// <summary>The run's root action has not ended yet.</summary>
    Running,

    /// <summary>The root action returned a result.</summary>
    Succeeded,

    /// <summary>The root action failed after its retry budget.</summary>
    Failed,

    /// <summary>The run was cancelled; its in-flight actions were cancelled with it.</summary>
    Cancelled,
}
