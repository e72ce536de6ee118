using Akka.Actor;
using Fanout.Runtime.Hooks;

namespace Fanout.TestKit;

/// <summary>Puts a <see cref="TestClock"/> where the runtime waits on time.</summary>
internal sealed class TestClockHook(TestClock clock) : IRuntimeClock
{
    public void StartSingleTimer(ITimerScheduler timers, IActorRef self, string key, object message, TimeSpan delay) =>
        clock.StartSingleTimer(self, key, message, delay);

    public void CancelTimer(ITimerScheduler timers, IActorRef self, string key) => clock.CancelTimer(self, key);

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => clock.Delay(delay, cancellationToken);
}
