namespace Fanout;

/// <summary>
/// The names under which Fanout reports metrics and traces through <c>System.Diagnostics</c>, for an app's
/// OpenTelemetry set-up: <c>AddMeter(FanoutDiagnostics.MeterName)</c> and
/// <c>AddSource(FanoutDiagnostics.ActivitySourceName)</c>. Fanout references no OpenTelemetry package; with no
/// listener, it records nothing and carries no trace context between nodes.
/// </summary>
public static class FanoutDiagnostics
{
    /// <summary>
    /// The name of Fanout's <see cref="System.Diagnostics.Metrics.Meter"/>: actions started, succeeded, failed,
    /// cancelled and retried and attempts lost (counters by task), attempts running and waiting (gauges by node),
    /// journal write latency and batch size, and run duration (histograms). The README lists every instrument.
    /// </summary>
    public const string MeterName = "Fanout";

    /// <summary>
    /// The name of Fanout's <see cref="System.Diagnostics.ActivitySource"/>: one span per attempt of an action, on
    /// the node that runs it, whose parent is the span of the parent action's attempt (on whichever node ran it),
    /// and for a run's root action the caller's <see cref="System.Diagnostics.Activity.Current"/> when it started
    /// the run. Spans carry the tags <c>fanout.run.id</c>, <c>fanout.action.id</c>, <c>fanout.task</c>,
    /// <c>fanout.group</c> and <c>fanout.attempt</c>; a failed attempt has status Error and an exception event.
    /// </summary>
    public const string ActivitySourceName = "Fanout";
}
