namespace Fanout;

/// <summary>
/// A new run was refused because the node that would host it already runs as many runs as its
/// <see cref="FanoutRuntimeOptions.MaxRunsInFlight"/> allows. Nothing was started or journaled: start the run
/// again later (with the same <see cref="RunOptions.RunId"/>, if you chose one), once runs have ended.
/// </summary>
public sealed class TooManyRunsInFlightException : FanoutException
{
    /// <summary>Creates the exception for the refused run.</summary>
    public TooManyRunsInFlightException(string runId, int limit)
        : base($"Run {runId} was not started: the node that would host it already runs {limit} runs, the most its " +
               $"MaxRunsInFlight (FANOUT_MAX_RUNS_IN_FLIGHT) allows. Nothing was recorded; start it again once runs have ended.")
    {
        RunId = runId;
        Limit = limit;
    }

    /// <summary>The id of the run that was not started.</summary>
    public string RunId { get; }

    /// <summary>The refusing node's MaxRunsInFlight.</summary>
    public int Limit { get; }
}
