using Akka.Event;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// The node's limit on running runs (<see cref="FanoutRuntimeOptions.MaxRunsInFlight"/>), applied where a run
/// lives: a run counts on the node that hosts it from its start (or its resumption here) until its end is
/// durable or its entity stops. Only a start of a run that does not exist yet may be refused, before anything
/// is journaled, so the caller may start it again later; a start repeated for a run that exists, and a run
/// resumed after a restart or a move, are never refused.
/// </summary>
internal sealed partial class RunActor
{
    private bool _countedAsInFlight;

    /// <summary>Admits a new run or refuses it (answered, then the empty entity passivates); true when the start may go on.</summary>
    private bool AdmitStart(StartRun start)
    {
        if (State.Exists || _countedAsInFlight) return true;
        if (_settings.RunsInFlight.TryAdmit())
        {
            _countedAsInFlight = true;
            return true;
        }
        _log.Warning("Run {0} of {1} refused: this node hosts {2} running runs, the most MaxRunsInFlight allows",
            start.RunId, start.TaskName, _settings.RunsInFlight.Count);
        ReplyThenForgetIfUnknown(new RunRefused(start.RunId, _settings.RunsInFlight.Limit));
        return false;
    }

    /// <summary>A run that recovered unfinished here counts, whatever the limit.</summary>
    private void CountResumed()
    {
        if (_countedAsInFlight) return;
        _settings.RunsInFlight.Resumed();
        _countedAsInFlight = true;
    }

    /// <summary>The run ended, or its entity stops: it no longer counts.</summary>
    private void Uncount()
    {
        if (!_countedAsInFlight) return;
        _settings.RunsInFlight.Left();
        _countedAsInFlight = false;
    }

    protected override void PostStop()
    {
        Uncount();
        base.PostStop();
    }
}
