using Fanout.Protocol;
using Fanout.Runtime.Hooks;

namespace Fanout.TestKit;

/// <summary>
/// What a test runtime's executor is doing, as far as its clock needs to know: which bodies are busy (started, not
/// yet ended, not a parent waiting for children, not a stub taking virtual time) and when anything last happened.
/// The clock skips ahead only when no body is busy and nothing happened for a quiet period; the quiet period covers
/// what no hook sees (a report on its way to the run, a journal write, a dispatch). It also publishes attempt events
/// for <see cref="FanoutTestKit.SubscribeToAttempts"/>.
/// </summary>
internal sealed class RuntimeActivity : IAttemptObserver
{
    private readonly object _gate = new();
    private readonly HashSet<(string ActionId, int Attempt)> _busy = [];
    private int _waitingOnTime;
    private long _lastActivity = Environment.TickCount64;

    /// <summary>Where attempt events go (the runtime's event stream, once it is up).</summary>
    public Action<object>? Publish { get; set; }

    public void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    /// <summary>Whether no body is busy and nothing has happened for <paramref name="quietPeriod"/>.</summary>
    public bool IsQuiet(TimeSpan quietPeriod)
    {
        lock (_gate)
            if (_busy.Count - _waitingOnTime > 0) return false;
        return Environment.TickCount64 - Interlocked.Read(ref _lastActivity) >= (long)quietPeriod.TotalMilliseconds;
    }

    /// <summary>A body waits on the virtual clock until the returned scope ends: it does not keep the clock still.</summary>
    public IDisposable WaitingOnTime()
    {
        lock (_gate) _waitingOnTime++;
        Touch();
        return new Scope(this);
    }

    public void BodyStarted(ExecuteAction execute)
    {
        lock (_gate) _busy.Add((execute.ActionId, execute.Attempt));
        Touch();
        Publish?.Invoke(new AttemptStarted(execute.RunId, execute.ActionId, execute.TaskName, execute.Attempt));
    }

    public void BodyWaitsForChildren(ExecuteAction execute)
    {
        lock (_gate) _busy.Remove((execute.ActionId, execute.Attempt));
        Touch();
    }

    public void AttemptEnded(ExecuteAction execute, AttemptFinished? report)
    {
        lock (_gate) _busy.Remove((execute.ActionId, execute.Attempt));
        Touch();
        if (report is null) return;
        Publish?.Invoke(new AttemptEnded(execute.RunId, execute.ActionId, execute.TaskName, execute.Attempt, Outcome(report.Kind),
            report.Error?.Type, report.Error?.Message));
    }

    private static AttemptOutcome Outcome(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Succeeded => AttemptOutcome.Succeeded,
        OutcomeKind.Failed => AttemptOutcome.Failed,
        OutcomeKind.Cancelled => AttemptOutcome.Cancelled,
        _ => AttemptOutcome.Interrupted,
    };

    private sealed class Scope(RuntimeActivity activity) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            lock (activity._gate) activity._waitingOnTime--;
            activity.Touch();
        }
    }
}
