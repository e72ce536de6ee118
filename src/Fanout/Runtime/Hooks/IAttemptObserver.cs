using Fanout.Protocol;

namespace Fanout.Runtime.Hooks;

/// <summary>
/// Hears what an executor does with attempts (Fanout.TestKit: events for probes, and whether any body is busy,
/// which decides when its virtual clock may skip ahead). Called on the executor's thread; must not block.
/// </summary>
internal interface IAttemptObserver
{
    /// <summary>An attempt's body starts.</summary>
    void BodyStarted(ExecuteAction execute);

    /// <summary>The body made its first child call: from now on it mostly waits for its children.</summary>
    void BodyWaitsForChildren(ExecuteAction execute);

    /// <summary>
    /// The executor let go of the attempt: <paramref name="report"/> says how it ended when its body returned or threw;
    /// null when the executor dropped it (cancelled before it started, superseded, abandoned, drained).
    /// </summary>
    void AttemptEnded(ExecuteAction execute, AttemptFinished? report);
}
