using Akka.Actor;

namespace Fanout.Runtime.Hooks;

/// <summary>
/// The time the runtime waits on where a test would otherwise wait for real: a retry's backoff (the run actor) and
/// an attempt's timeout (the executor). Production uses <see cref="SystemRuntimeClock"/>; Fanout.TestKit a virtual
/// clock that skips ahead, so a spec of "retries 5 times, 30 s apart" takes milliseconds.
/// </summary>
internal interface IRuntimeClock
{
    /// <summary>Tells <paramref name="self"/> <paramref name="message"/> after <paramref name="delay"/>, replacing a timer of the same key.</summary>
    void StartSingleTimer(ITimerScheduler timers, IActorRef self, string key, object message, TimeSpan delay);

    /// <summary>Forgets the timer of that key, if any: its message is not sent.</summary>
    void CancelTimer(ITimerScheduler timers, IActorRef self, string key);

    /// <summary>Completes after <paramref name="delay"/>; cancelled by <paramref name="cancellationToken"/>.</summary>
    Task Delay(TimeSpan delay, CancellationToken cancellationToken);
}
