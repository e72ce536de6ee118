namespace Fanout.Chaos.Faults;

/// <summary>What the harness did to a worker, or what a worker did by itself, and when; <paramref name="Seconds"/> how long it took.</summary>
internal sealed record FaultEvent(DateTimeOffset At, string Worker, string Kind, string Detail, double? Seconds = null)
{
    public const string Kill = "kill -9";
    public const string Terminate = "SIGTERM";
    public const string Left = "left after SIGTERM";
    public const string KilledAfterTerminate = "killed after SIGTERM";
    public const string Unplanned = "unplanned exit";
    public const string Restart = "restart";
}
