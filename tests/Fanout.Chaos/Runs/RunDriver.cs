using Fanout.Chaos.Patterns;

namespace Fanout.Chaos.Runs;

/// <summary>
/// Keeps a number of runs going, the patterns in turn, until told to stop starting; watches each run's
/// counts every second for its longest time without progress; and waits for every started run to end.
/// </summary>
internal sealed class RunDriver(FanoutClient client, int inFlight, Random rng, Timeline timeline)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(15);

    // Not disposed: a run's end releases its place after the starting loop has returned.
    private readonly SemaphoreSlim _places = new(inFlight);
    private readonly List<RunRecord> _runs = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RunRecord, StartedRun> _handles = new();
    private readonly List<Task> _ends = [];
    private int _started;
    private readonly string _session = Convert.ToHexStringLower(BitConverter.GetBytes(rng.Next()));

    public IReadOnlyList<RunRecord> Runs
    {
        get
        {
            lock (_runs) return _runs.ToList();
        }
    }

    /// <summary>Starts runs until <paramref name="stopStarting"/> fires, keeping <c>inFlight</c> going; runs end under <paramref name="abort"/>.</summary>
    public async Task StartRunsAsync(CancellationToken stopStarting, CancellationToken abort)
    {
        while (!stopStarting.IsCancellationRequested)
        {
            try
            {
                await _places.WaitAsync(stopStarting);
            }
            catch (OperationCanceledException) when (stopStarting.IsCancellationRequested)
            {
                break;
            }
            var record = await StartOneAsync(abort);
            if (record.RunId is null)
            {
                _places.Release();
                continue;
            }
            var end = EndAsync(record, abort).ContinueWith(_ => _places.Release(), TaskScheduler.Default);
            lock (_ends) _ends.Add(end);
        }
    }

    /// <summary>Polls every unfinished run's summary each second until <paramref name="stop"/> fires.</summary>
    public async Task WatchProgressAsync(CancellationToken stop)
    {
        var polling = new Dictionary<RunRecord, Task>();
        while (!stop.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var run in Runs.Where(r => r.RunId is not null && !r.Finished))
            {
                run.Tick(now);
                if (polling.TryGetValue(run, out var poll) && !poll.IsCompleted) continue;
                polling[run] = PollAsync(run, stop);
            }
            foreach (var done in polling.Where(p => p.Value.IsCompleted).Select(p => p.Key).ToList()) polling.Remove(done);
            try
            {
                await Task.Delay(PollEvery, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Waits for every started run to end, or until <paramref name="giveUp"/> fires (those left are not finished).</summary>
    public async Task WaitForEndsAsync(CancellationToken giveUp)
    {
        Task[] ends;
        lock (_ends) ends = _ends.ToArray();
        try
        {
            await Task.WhenAll(ends).WaitAsync(giveUp);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            // the caller reports the runs still going
        }
    }

    private async Task<RunRecord> StartOneAsync(CancellationToken abort)
    {
        var index = Interlocked.Increment(ref _started);
        var (pattern, plan) = PatternCatalog.All[(index - 1) % PatternCatalog.All.Count];
        var planned = plan($"k{index:D4}", rng);
        var record = new RunRecord(index, planned, DateTimeOffset.UtcNow);
        lock (_runs) _runs.Add(record);
        // The harness names its runs, so a start that got no answer can be sent again: it finds the same run.
        var runId = $"chaos-{_session}-{index:D4}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(StartTimeout);
        for (var tries = 1; ; tries++)
        {
            try
            {
                var started = await planned.StartAsync(client, runId, timeout.Token);
                record.RunId = started.RunId;
                _handles[record] = started;
                timeline.Write($"run {index} ({pattern}, {planned.Shape}) started: {started.RunId}" + (tries > 1 ? $" (try {tries})" : ""));
                return record;
            }
            catch (Exception e) when (!abort.IsCancellationRequested && !timeout.IsCancellationRequested && e is not RunIdConflictException)
            {
                timeline.Write($"run {index} ({pattern}): start try {tries} failed ({e.GetType().Name}: {e.Message}); trying again");
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            catch (Exception e) when (!abort.IsCancellationRequested)
            {
                record.StartError = $"{e.GetType().Name}: {e.Message}";
                timeline.Write($"run {index} ({pattern}) could not be started: {record.StartError}");
                return record;
            }
        }
    }

    private async Task EndAsync(RunRecord record, CancellationToken abort)
    {
        string? problem;
        try
        {
            problem = await _handles[record].FinishAsync(abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return; // not finished: reported as such
        }
        catch (Exception e)
        {
            problem = $"waiting for it failed: {e.GetType().Name}: {e.Message}";
        }
        record.Finish(problem, DateTimeOffset.UtcNow);
        timeline.Write($"run {record.Index} ({record.Plan.Pattern}) {record.RunId} ended after {(record.FinishedAt!.Value - record.StartedAt).TotalSeconds:F1} s" +
                       $"{(problem is null ? ", right result" : $": {problem}")}; longest stall {record.LongestStall.TotalSeconds:F1} s" +
                       (record.LongestStall.TotalSeconds < 20 ? "" :
                           $" (from {record.LongestStallFrom:HH:mm:ss.fff}; {record.LongestStallPolls.Unanswered} of its " +
                           $"{record.LongestStallPolls.Polls} summary polls unanswered; counts then {record.LongestStallPolls.Counts})"));
    }

    private async Task PollAsync(RunRecord run, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(PollTimeout);
        try
        {
            run.Observe(await _handles[run].SummaryAsync(timeout.Token), DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // no answer is no sign of progress; the stall goes on counting
            run.Unanswered();
        }
    }
}
