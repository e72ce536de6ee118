using Akka.Actor;
using Akka.Event;

namespace Fanout.Runtime.Index;

/// <summary>
/// Purges finished runs older than <see cref="FanoutRuntimeOptions.RunRetention"/> now and then. Every node runs
/// one: purging claims each run's tombstone in the same transaction that deletes its rows, so two nodes purging
/// at once delete each run once, and a node that is down leaves the work to the others.
/// </summary>
internal sealed class RunPurgeSchedule : ReceiveActor, IWithTimers
{
    public const string Name = "fanout-run-purge";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _purging;

    public RunPurgeSchedule(RunsIndexStore store, TimeSpan retention)
    {
        Receive<Tick>(_ =>
        {
            if (_purging) return;
            _purging = true;
            store.PurgeAsync(DateTimeOffset.UtcNow - retention, CancellationToken.None)
                .PipeTo(Self, success: ids => new Purged(ids), failure: e => new Failed(e));
        });
        Receive<Purged>(purged =>
        {
            _purging = false;
            if (purged.RunIds.Count > 0)
                _log.Info("Purged {0} run(s) that finished more than {1} ago", purged.RunIds.Count, retention);
        });
        // The next tick tries again.
        Receive<Failed>(failed =>
        {
            _purging = false;
            _log.Warning("Purging runs older than {0} failed (tried again later): {1}", retention, failed.Cause.Message);
        });
        Self.Tell(Tick.Instance);
        Timers.StartPeriodicTimer("purge", Tick.Instance, CheckInterval(retention));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RunsIndexStore store, TimeSpan retention) =>
        Akka.Actor.Props.Create(() => new RunPurgeSchedule(store, retention));

    /// <summary>A quarter of the retention, from 1 second to 10 minutes: a run outlives it by at most that much.</summary>
    internal static TimeSpan CheckInterval(TimeSpan retention) =>
        TimeSpan.FromTicks(Math.Clamp(retention.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.FromMinutes(10).Ticks));

    private sealed class Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Purged(IReadOnlyList<string> RunIds) : INoSerializationVerificationNeeded;

    private sealed record Failed(Exception Cause) : INoSerializationVerificationNeeded;
}
