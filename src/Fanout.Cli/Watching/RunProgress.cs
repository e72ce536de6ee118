using Fanout.Cli.Model;

namespace Fanout.Cli.Watching;

/// <summary>
/// What a watch knows between two looks at a run: how many actions were done when it started watching and
/// when, so it can tell a rate and an ETA. The total grows while parents fan out, so the ETA is the time to
/// finish what the run has started so far.
/// </summary>
internal sealed class RunProgress(TimeProvider clock)
{
    private DateTimeOffset? _firstSeenAt;
    private int _firstDone;

    public int Done { get; private set; }
    public int Total { get; private set; }

    /// <summary>Actions done per second since the watch began; null until something was done after it began.</summary>
    public double? Rate { get; private set; }

    /// <summary>The time to finish the actions started so far at <see cref="Rate"/>; null without a rate.</summary>
    public TimeSpan? Eta { get; private set; }

    public void Observe(RunSummaryDto summary)
    {
        var now = clock.GetUtcNow();
        Total = summary.TotalActions;
        Done = DoneOf(summary.Counts);
        if (_firstSeenAt is null)
        {
            _firstSeenAt = now;
            _firstDone = Done;
            return;
        }
        var seconds = (now - _firstSeenAt.Value).TotalSeconds;
        Rate = seconds > 0 && Done > _firstDone ? (Done - _firstDone) / seconds : null;
        Eta = Rate is { } rate && Total > Done ? TimeSpan.FromSeconds((Total - Done) / rate) : null;
    }

    public static int DoneOf(IReadOnlyDictionary<string, int> counts) => counts.Where(c => RunStatuses.IsDone(c.Key)).Sum(c => c.Value);
}
