namespace Fanout;

/// <summary>How one attempt of an action ended, as <see cref="AttemptInfo"/> shows it.</summary>
public enum AttemptOutcome
{
    /// <summary>It has not ended yet.</summary>
    Running,

    /// <summary>It returned the action's result.</summary>
    Succeeded,

    /// <summary>It threw; <see cref="AttemptInfo.Error"/> says what.</summary>
    Failed,

    /// <summary>The runtime set it aside or handed it back (a drain, a run that moved); it neither failed nor was lost.</summary>
    Interrupted,

    /// <summary>It never reported back: its node or process stopped while it ran.</summary>
    Lost,

    /// <summary>The run was cancelled while it ran.</summary>
    Cancelled,
}
