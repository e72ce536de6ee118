using Fanout.Protocol;

namespace Fanout.Clustering;

/// <summary>
/// Asks an executor, possibly on another node, for its <see cref="ExecutorStatus"/> (the operator's
/// <c>GET /executors</c>). Unlike <see cref="ExecutorLoad"/>, which executors push to directories for placement,
/// this is asked on demand and carries the load by run.
/// </summary>
internal sealed record GetExecutorStatus : IFanoutMessage
{
    public static readonly GetExecutorStatus Instance = new();
}

/// <summary>
/// An executor's answer to <see cref="GetExecutorStatus"/>: its slots, how many are busy, attempts waiting for
/// one and how many may wait, and the same counts for each run it holds attempts of (busiest first).
/// Parents waiting for their children hold no slot and are counted in neither.
/// </summary>
internal sealed record ExecutorStatus(int Slots, int Busy, int Waiting, int MaxWaiting, bool Draining, IReadOnlyList<RunLoad> Runs)
    : IFanoutMessage;

/// <summary>One run's share of an executor: bodies of its actions running in a slot, and attempts of it waiting for one.</summary>
internal sealed record RunLoad(string RunId, int Busy, int Waiting);
