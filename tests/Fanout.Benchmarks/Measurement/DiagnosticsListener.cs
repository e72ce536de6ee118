using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// With --listen: listens to Fanout's ActivitySource (every span sampled and recorded) and Meter (every instrument
/// enabled, gauges collected once a second) the way an OpenTelemetry SDK would, minus the exporter, so a run with
/// it next to one without shows what the instrumentation itself costs.
/// </summary>
internal sealed class DiagnosticsListener : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _metrics = new();
    private readonly Timer _gauges;
    private long _spanCount;
    private long _measurementCount;

    public DiagnosticsListener()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FanoutDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spanCount),
        };
        ActivitySource.AddActivityListener(_spans);

        _metrics.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FanoutDiagnostics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _metrics.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurementCount));
        _metrics.SetMeasurementEventCallback<int>((_, _, _, _) => Interlocked.Increment(ref _measurementCount));
        _metrics.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurementCount));
        _metrics.Start();
        _gauges = new Timer(_ => _metrics.RecordObservableInstruments(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>What was heard so far, for the report's last line.</summary>
    public string Describe() =>
        $"listened to Fanout's diagnostics: {Interlocked.Read(ref _spanCount):N0} spans, {Interlocked.Read(ref _measurementCount):N0} measurements";

    public void Dispose()
    {
        _gauges.Dispose();
        _metrics.Dispose();
        _spans.Dispose();
    }
}
