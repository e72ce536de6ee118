using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// The attempts of one action that ended before its latest, first to last: held by the run beside the action's
/// record, and only for an action with more than one attempt (or one whose latest attempt ended without ending
/// the action), so the record itself grows by no more than its latest attempt's node and start.
/// </summary>
internal sealed class AttemptLog
{
    public List<PastAttempt> Ended { get; } = new(2);

    /// <summary>The latest attempt's start (Unix ms) when it is too far after the action's own start for the record to hold it.</summary>
    public long? LatestStartedAtMs { get; set; }

    /// <summary>Whether attempt <paramref name="number"/> is already here (it ended).</summary>
    public bool Has(int number) => Ended.Count > 0 && Ended[^1].Number == number;

    /// <summary>Replaces what is known of attempt <paramref name="number"/>, when it is here.</summary>
    public bool Replace(int number, Func<PastAttempt, PastAttempt> change)
    {
        for (var i = Ended.Count - 1; i >= 0; i--)
        {
            if (Ended[i].Number != number) continue;
            Ended[i] = change(Ended[i]);
            return true;
        }
        return false;
    }
}
