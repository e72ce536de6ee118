using Akka.Actor;

namespace Fanout.Runtime.Hooks;

/// <summary>Real time: the actor's own timers and <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</summary>
internal sealed class SystemRuntimeClock : IRuntimeClock
{
    public static readonly SystemRuntimeClock Instance = new();

    private SystemRuntimeClock()
    {
    }

    public void StartSingleTimer(ITimerScheduler timers, IActorRef self, string key, object message, TimeSpan delay) =>
        timers.StartSingleTimer(key, message, delay);

    public void CancelTimer(ITimerScheduler timers, IActorRef self, string key) => timers.Cancel(key);

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
}
