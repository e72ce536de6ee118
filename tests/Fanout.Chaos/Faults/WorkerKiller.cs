using Fanout.Chaos.Cluster;

namespace Fanout.Chaos.Faults;

/// <summary>
/// The fault loop: every 15-30 s (counted from the moment the last victim is back) it takes a random
/// worker down, kill -9 and SIGTERM in turn, and starts it again at once; a worker that exits by itself
/// in between is recorded and started again too. It stops between faults, never leaving a worker down.
/// </summary>
internal sealed class WorkerKiller(ChaosCluster cluster, Random rng, Timeline timeline)
{
    private static readonly TimeSpan MinGap = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxGap = TimeSpan.FromSeconds(30);

    private readonly List<FaultEvent> _events = [];

    public IReadOnlyList<FaultEvent> Events
    {
        get
        {
            lock (_events) return _events.ToList();
        }
    }

    /// <summary>When the last fault or restart ended, for the runs' finishing bound.</summary>
    public DateTimeOffset LastFaultEnded { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>Runs until <paramref name="stop"/> fires; then returns once every worker is up.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        var killNext = true;
        var next = DateTimeOffset.UtcNow + Gap();
        while (!stop.IsCancellationRequested)
        {
            foreach (var slot in cluster.Workers.Where(s => s.ExitedUnplanned))
            {
                var code = await slot.Process!.Exited;
                Record(slot, FaultEvent.Unplanned, $"{slot.IncarnationName} exited by itself with code {code}");
                await RestartAsync(slot, abort);
                next = DateTimeOffset.UtcNow + Gap();
            }
            if (DateTimeOffset.UtcNow >= next)
            {
                var slot = cluster.Workers[rng.Next(cluster.Workers.Count)];
                var started = DateTimeOffset.UtcNow;
                if (killNext)
                {
                    Record(slot, FaultEvent.Kill, $"{slot.IncarnationName} (pid {slot.Process!.Id})");
                    await cluster.KillAsync(slot);
                }
                else
                {
                    Record(slot, FaultEvent.Terminate, $"{slot.IncarnationName} (pid {slot.Process!.Id})");
                    var graceful = await cluster.TerminateAsync(slot);
                    var seconds = (DateTimeOffset.UtcNow - started).TotalSeconds;
                    Record(slot, graceful ? FaultEvent.Left : FaultEvent.KilledAfterTerminate, graceful
                        ? $"{slot.IncarnationName} exited {seconds:F1} s after SIGTERM"
                        : $"{slot.IncarnationName} did not exit within 45 s of SIGTERM and was killed", seconds);
                }
                killNext = !killNext;
                await RestartAsync(slot, abort);
                next = DateTimeOffset.UtcNow + Gap();
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the session is over: leave with every worker up
            }
        }
    }

    private async Task RestartAsync(WorkerSlot slot, CancellationToken abort)
    {
        var started = DateTimeOffset.UtcNow;
        await cluster.StartWorkerAsync(slot, abort);
        var seconds = (DateTimeOffset.UtcNow - started).TotalSeconds;
        Record(slot, FaultEvent.Restart, $"{slot.IncarnationName} up {seconds:F1} s after its start", seconds);
        LastFaultEnded = DateTimeOffset.UtcNow;
    }

    private void Record(WorkerSlot slot, string kind, string detail, double? seconds = null)
    {
        var fault = new FaultEvent(DateTimeOffset.UtcNow, slot.Name, kind, detail, seconds);
        lock (_events) _events.Add(fault);
        timeline.Write($"{kind}: {detail}");
    }

    private TimeSpan Gap() => MinGap + TimeSpan.FromMilliseconds(rng.NextDouble() * (MaxGap - MinGap).TotalMilliseconds);
}
