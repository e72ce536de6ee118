using Akka.Actor;

namespace Fanout.TestKit;

/// <summary>
/// The virtual time a test runtime's retries and timeouts wait on: a retry's backoff and an attempt's
/// <see cref="TaskOptions.Timeout"/> fire when this clock passes them, not when real time does. With
/// <see cref="AutoAdvance"/> on (the default) it skips to the next timer whenever no task body is busy and the runtime
/// has been quiet for <see cref="FanoutTestOptions.QuietPeriod"/>, like Temporal's time-skipping test server; with it
/// off, time moves only by <see cref="Advance"/>.
/// </summary>
/// <remarks>
/// Only the runtime's own waits are virtual. A task body's own <c>Task.Delay</c> waits for real (and keeps the
/// clock from skipping while it runs); a stub that should take virtual time uses <see cref="TaskStub{TIn,TOut}.TakesTime"/>.
/// </remarks>
public sealed class TestClock
{
    private readonly object _gate = new();
    private readonly PriorityQueue<VirtualTimer, (TimeSpan Due, long Order)> _timers = new();
    private readonly Dictionary<(IActorRef Self, string Key), VirtualTimer> _keyed = new();
    private readonly RuntimeActivity _activity;
    private readonly TimeSpan _quietPeriod;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _autoAdvance;
    private long _order;
    private long _autoAdvanceChecks;
    private TimeSpan _elapsed;

    internal TestClock(DateTimeOffset start, bool autoAdvance, TimeSpan quietPeriod, RuntimeActivity activity)
    {
        Start = start;
        AutoAdvance = autoAdvance;
        _quietPeriod = quietPeriod;
        _activity = activity;
        _autoAdvance = Task.Run(AutoAdvanceLoopAsync);
    }

    /// <summary>The virtual time the clock started at.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>How much virtual time has passed since the clock started.</summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (_gate) return _elapsed;
        }
    }

    /// <summary>The virtual now: <see cref="Start"/> plus <see cref="Elapsed"/>.</summary>
    public DateTimeOffset Now => Start + Elapsed;

    /// <summary>Whether the clock skips ahead by itself when the runtime waits only on time (default on).</summary>
    public bool AutoAdvance { get; set; }

    /// <summary>How many waits (retry backoffs, attempt timeouts, stubs taking time) are pending on the clock.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate) return _timers.UnorderedItems.Count(t => !t.Element.Done);
        }
    }

    /// <summary>When the next pending wait is due, as time from now; null when nothing waits on the clock.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_gate) return PeekLive() is { } next ? next.Due - _elapsed : null;
        }
    }

    /// <summary>How many times the auto-advance loop has looked at the runtime, for specs that wait for it to have looked.</summary>
    internal long AutoAdvanceChecks => Interlocked.Read(ref _autoAdvanceChecks);

    /// <summary>
    /// Moves virtual time forward by <paramref name="by"/>, firing every wait that falls due on the way, in order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "the clock only moves forward");
        TimeSpan target;
        lock (_gate) target = _elapsed + by;
        FireUntil(target);
        lock (_gate)
            if (_elapsed < target) _elapsed = target;
    }

    /// <summary>Moves virtual time to the next pending wait and fires it; returns false when nothing waits.</summary>
    public bool AdvanceToNext()
    {
        TimeSpan due;
        lock (_gate)
        {
            if (PeekLive() is not { } next) return false;
            due = next.Due;
        }
        FireUntil(due);
        return true;
    }

    /// <summary>Waits <paramref name="delay"/> of virtual time.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (delay < TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a delay must not be negative");
        if (delay == Timeout.InfiniteTimeSpan) return Task.Delay(Timeout.Infinite, cancellationToken);
        if (delay == TimeSpan.Zero) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = Schedule(delay, key: null, () => done.TrySetResult());
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                Cancel(timer);
                done.TrySetCanceled(cancellationToken);
            });
            done.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return done.Task;
    }

    internal void StartSingleTimer(IActorRef self, string key, object message, TimeSpan delay) =>
        Schedule(delay, (self, key), () => self.Tell(message, ActorRefs.NoSender));

    internal void CancelTimer(IActorRef self, string key)
    {
        lock (_gate)
            if (_keyed.Remove((self, key), out var timer)) timer.Done = true;
    }

    private VirtualTimer Schedule(TimeSpan delay, (IActorRef, string)? key, Action fire)
    {
        lock (_gate)
        {
            var timer = new VirtualTimer(_elapsed + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), key, fire);
            if (key is { } k)
            {
                if (_keyed.Remove(k, out var replaced)) replaced.Done = true;
                _keyed[k] = timer;
            }
            _timers.Enqueue(timer, (timer.Due, _order++));
            _activity.Touch();
            return timer;
        }
    }

    private void Cancel(VirtualTimer timer)
    {
        lock (_gate) timer.Done = true;
    }

    /// <summary>Fires, one at a time and in order, every live wait due at or before <paramref name="target"/>.</summary>
    private void FireUntil(TimeSpan target)
    {
        while (true)
        {
            VirtualTimer timer;
            lock (_gate)
            {
                if (PeekLive() is not { } next || next.Due > target) return;
                timer = _timers.Dequeue();
                timer.Done = true;
                if (timer.Key is { } key) _keyed.Remove(key);
                if (_elapsed < timer.Due) _elapsed = timer.Due;
            }
            _activity.Touch();
            timer.Fire();
        }
    }

    /// <summary>The earliest wait still pending, dropping cancelled ones on the way. Under the lock.</summary>
    private VirtualTimer? PeekLive()
    {
        while (_timers.TryPeek(out var next, out _))
        {
            if (!next.Done) return next;
            _timers.Dequeue();
        }
        return null;
    }

    private async Task AutoAdvanceLoopAsync()
    {
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, _quietPeriod.Ticks / 4));
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Polls real time: the runtime has no single signal for "idle"; see RuntimeActivity.
                await Task.Delay(tick, _stop.Token).ConfigureAwait(false);
                if (AutoAdvance && NextDue is not null && _activity.IsQuiet(_quietPeriod)) AdvanceToNext();
                Interlocked.Increment(ref _autoAdvanceChecks);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops the auto-advance loop (with its runtime).</summary>
    internal async ValueTask StopAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _autoAdvance.ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class VirtualTimer(TimeSpan due, (IActorRef Self, string Key)? key, Action fire)
    {
        public TimeSpan Due => due;

        public (IActorRef Self, string Key)? Key => key;

        public bool Done { get; set; }

        public void Fire() => fire();
    }
}
