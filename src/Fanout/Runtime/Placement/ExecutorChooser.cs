using System.Collections.Immutable;
using Akka.Actor;
using Fanout.Clustering;

namespace Fanout.Runtime.Placement;

/// <summary>
/// Chooses the executor for a run's next attempt: among those whose node has the action's role and that
/// are not full, the less loaded of two picked at random ("power of two choices"). An executor's load is
/// what it last reported to this node's directory (running plus waiting, over its slots) plus what this run
/// sent it since that report, less what it heard ended there since. An executor is full when its report
/// says so, when it turned one of this run's attempts away and has not reported since, or when this run
/// has sent it as many more (net) as the room its report showed: a run with many attempts waiting for room
/// does not refill it at once and have most turned away again.
/// <para>
/// Two at random rather than the least loaded of all: the reports are up to a few hundred milliseconds old
/// and every run on every node reads the same ones, so "the least loaded" would send every run's attempts
/// of that moment to the same executor; two random candidates spread them and still avoid the busy ones.
/// With two executors it is the least loaded of both.
/// </para>
/// One per run, used from the run's thread only.
/// </summary>
internal sealed class ExecutorChooser(int assumedSlots, Random random)
{
    private ImmutableArray<ExecutorEntry> _executors = [];
    // Keyed by the directory's gauge, not the executor: an executor restarted under the same path is a new entry.
    private readonly Dictionary<ExecutorGauge, Estimate> _estimates = [];
    private readonly List<int> _candidates = [];

    /// <summary>Takes the directory's current list (the same array again costs nothing); what is known of executors still listed is kept.</summary>
    public void Use(ImmutableArray<ExecutorEntry> executors)
    {
        if (executors == _executors) return;
        _executors = executors;
        if (_estimates.Count == 0) return;
        foreach (var gone in _estimates.Keys.Where(g => !executors.Any(x => ReferenceEquals(x.Gauge, g))).ToList())
            _estimates.Remove(gone);
    }

    /// <summary>The executor for an action of <paramref name="role"/>; null when every one that may run it is full, or none may.</summary>
    public IActorRef? Choose(string? role) => ChooseEntry(role)?.Executor;

    /// <summary>As <see cref="Choose"/>, with the node the executor is on.</summary>
    public ExecutorEntry? ChooseEntry(string? role)
    {
        _candidates.Clear();
        for (var i = 0; i < _executors.Length; i++)
        {
            if (_executors[i].CanRun(role) && !IsFull(_executors[i])) _candidates.Add(i);
        }
        if (_candidates.Count == 0) return null;

        int chosen;
        if (_candidates.Count == 1)
        {
            chosen = _candidates[0];
        }
        else
        {
            var first = random.Next(_candidates.Count);
            var second = random.Next(_candidates.Count - 1);
            if (second >= first) second++;
            var (a, b) = (_executors[_candidates[first]], _executors[_candidates[second]]);
            chosen = _candidates[Load(a) <= Load(b) ? first : second];
        }
        var executor = _executors[chosen];
        EstimateOf(executor).SentSinceReading++;
        return executor;
    }

    /// <summary>Whether any listed executor may run an action of <paramref name="role"/>, full or not.</summary>
    public bool AnyMayRun(string? role)
    {
        foreach (var executor in _executors)
        {
            if (executor.CanRun(role)) return true;
        }
        return false;
    }

    /// <summary>Whether every executor that may run an action of <paramref name="role"/> is full (false when none may).</summary>
    public bool AllFull(string? role)
    {
        var any = false;
        foreach (var executor in _executors)
        {
            if (!executor.CanRun(role)) continue;
            if (!IsFull(executor)) return false;
            any = true;
        }
        return any;
    }

    /// <summary>The executor turned an attempt of this run away: it gets nothing more until it reports again.</summary>
    public void TurnedAway(IActorRef executor)
    {
        foreach (var entry in _executors)
        {
            if (!entry.Executor.Equals(executor)) continue;
            EstimateOf(entry).TurnedAwaySinceReading = true;
            return;
        }
    }

    /// <summary>The executor reported <paramref name="ended"/> of this run's attempts ended: they no longer load it.</summary>
    public void Ended(IActorRef executor, int ended)
    {
        foreach (var entry in _executors)
        {
            if (!entry.Executor.Equals(executor)) continue;
            EstimateOf(entry).EndedSinceReading += ended;
            return;
        }
    }

    /// <summary>What this run expects the executor's load to be now: running and waiting per slot.</summary>
    internal double Load(ExecutorEntry executor)
    {
        var estimate = EstimateOf(executor);
        var reading = estimate.Reading;
        var slots = reading?.Slots ?? assumedSlots;
        return (double)Math.Max(0, (reading?.Running ?? 0) + (reading?.Waiting ?? 0) + estimate.NetSent) / Math.Max(1, slots);
    }

    private bool IsFull(ExecutorEntry executor)
    {
        var estimate = EstimateOf(executor);
        return estimate.Reading is { Full: true }
               || estimate.TurnedAwaySinceReading
               || estimate.Reading is { } reading && estimate.NetSent >= reading.Room;
    }

    /// <summary>This run's view of one executor; what it sent (and whether it was turned away) counts only until the executor's next reading.</summary>
    private Estimate EstimateOf(ExecutorEntry executor)
    {
        if (!_estimates.TryGetValue(executor.Gauge, out var estimate)) _estimates[executor.Gauge] = estimate = new Estimate();
        var reading = executor.Gauge.Reading;
        if (ReferenceEquals(reading, estimate.Reading)) return estimate;
        estimate.Reading = reading;
        estimate.SentSinceReading = 0;
        estimate.EndedSinceReading = 0;
        estimate.TurnedAwaySinceReading = false;
        return estimate;
    }

    private sealed class Estimate
    {
        /// <summary>The executor's reading this estimate builds on (null before its first).</summary>
        public LoadReading? Reading { get; set; }

        public int SentSinceReading { get; set; }

        /// <summary>Attempts of this run it reported ended since <see cref="Reading"/> (some may have ended before it: an estimate).</summary>
        public int EndedSinceReading { get; set; }

        public int NetSent => SentSinceReading - EndedSinceReading;

        /// <summary>It turned an attempt of this run away since <see cref="Reading"/>: full until the next one.</summary>
        public bool TurnedAwaySinceReading { get; set; }
    }
}
