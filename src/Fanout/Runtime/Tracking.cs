namespace Fanout.Runtime;

/// <summary>
/// What one incarnation of a run is doing about an unfinished action's attempts. Not journaled: a run that
/// recovers starts with every action <see cref="NotYet"/> and takes each up when its parent calls it again
/// (or an executor says it still runs it).
/// </summary>
internal enum Tracking : byte
{
    /// <summary>Not taken up since the run (re)started: an attempt the journal shows running may have died with the old incarnation.</summary>
    NotYet,

    /// <summary>Its current attempt went to <see cref="ActionRecord.Executor"/> (or was found running there), and its report is awaited.</summary>
    Sent,

    /// <summary>Its last attempt failed; the next starts when the retry backoff is over.</summary>
    WaitingForRetry,

    /// <summary>Its next attempt waits in the run's queue for room under the in-flight limit.</summary>
    WaitingForRoom,

    /// <summary>Its next attempt waits for a live node that may run it (since <see cref="ActionRecord.UnplacedSinceMs"/>).</summary>
    WaitingForNode,
}
