using Fanout.Chaos.Patterns;

namespace Fanout.Chaos.Runs;

/// <summary>One run of the session: what was planned, when it started and ended, what was wrong, and its longest time without progress.</summary>
internal sealed class RunRecord(int index, PlannedRun plan, DateTimeOffset startedAt)
{
    private readonly object _gate = new();
    private string _progress = "";
    // Polls of its summary since its counts last changed, and how many of them got no answer: whether a
    // stall is the run not moving or the client not reaching it.
    private int _pollsSinceProgress;
    private int _unansweredSinceProgress;

    public int Index { get; } = index;

    public PlannedRun Plan { get; } = plan;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Null until the start was accepted.</summary>
    public string? RunId { get; set; }

    /// <summary>Why the start failed (the run may or may not exist), or null.</summary>
    public string? StartError { get; set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>What was wrong with its end (failed, wrong result, wrong group counts), or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>The last time its counts changed (or it started or ended).</summary>
    public DateTimeOffset LastProgress { get; private set; } = startedAt;

    /// <summary>Its longest time without a change in its counts, and when that began.</summary>
    public TimeSpan LongestStall { get; private set; }

    public DateTimeOffset LongestStallFrom { get; private set; } = startedAt;

    /// <summary>During its longest stall: the summary polls, those that got no answer, and the counts they showed.</summary>
    public (int Polls, int Unanswered, string Counts) LongestStallPolls { get; private set; }

    /// <summary>Its actions as last seen in its summary.</summary>
    public int Actions { get; private set; }

    public bool Finished => FinishedAt is not null;

    /// <summary>Notes a summary: a change in its counts is progress.</summary>
    public void Observe(RunSummary summary, DateTimeOffset at)
    {
        var progress = $"{summary.TotalActions} {string.Join(',', summary.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"))}";
        lock (_gate)
        {
            Actions = summary.TotalActions;
            _pollsSinceProgress++;
            if (progress == _progress || Finished) return;
            _progress = progress;
            Progressed(at);
        }
    }

    /// <summary>Notes a poll of its summary that got no answer in time.</summary>
    public void Unanswered()
    {
        lock (_gate)
        {
            _pollsSinceProgress++;
            _unansweredSinceProgress++;
        }
    }

    /// <summary>Folds the time since the last progress into the longest stall, as of <paramref name="now"/>.</summary>
    public void Tick(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Finished) return;
            var stall = now - LastProgress;
            if (stall <= LongestStall) return;
            LongestStall = stall;
            LongestStallFrom = LastProgress;
            LongestStallPolls = (_pollsSinceProgress, _unansweredSinceProgress, _progress);
        }
    }

    public void Finish(string? problem, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (Finished) return;
            Tick(at);
            Problem = problem;
            FinishedAt = at;
            LastProgress = at;
        }
    }

    private void Progressed(DateTimeOffset at)
    {
        Tick(at);
        LastProgress = at;
        _pollsSinceProgress = 0;
        _unansweredSinceProgress = 0;
    }
}
