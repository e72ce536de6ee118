using Fanout.Tests.EndToEnd;
using Fanout.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// The README's OTLP wiring ("Traces and metrics"), as written, exports a run's spans and Fanout's metrics to an
/// OTLP endpoint (a loopback receiver standing in for a collector, named the standard way: OTEL_EXPORTER_OTLP_*).
/// </summary>
public sealed class OtlpWiringSpecs
{
    [Fact]
    public async Task The_README_wiring_sends_a_runs_spans_and_Fanouts_metrics_over_OTLP()
    {
        using var receiver = new OtlpReceiver();
        using var folder = new TempDirectory();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }).Build());
        var runId = $"otlp-{Guid.NewGuid():N}";
        AddTelemetry(services);
        // Only this run's spans: other specs' runs in this process must not start spans (and carry context) because of it.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new RunSampler(rootSpanName: "", runId)));
        await using (var provider = services.BuildServiceProvider())
        {
            // What the host's start does: the providers come to life and listen.
            provider.GetRequiredService<TracerProvider>();
            provider.GetRequiredService<MeterProvider>();
            await using var runtime = await FanoutRuntime.StartEmbeddedAsync(new FanoutRuntimeOptions
            {
                DatabasePath = folder.File("otlp.db"), HttpPort = null, TaskAssemblies = { typeof(DiagnosticsTasks).Assembly },
            });
            var run = await runtime.RunAsync(DiagnosticsTasks.Parent, 1, new RunOptions { RunId = runId });
            Assert.Equal(DiagnosticsTasks.GrandchildrenEach, await run.EndsAsync("a run whose spans go over OTLP"));
        } // disposing the providers flushes what they hold, as a host's stop does

        Assert.True(receiver.Received("/v1/traces", runId), $"no span of run {runId} reached the OTLP endpoint ({receiver.Describe()})");
        Assert.True(receiver.Received("/v1/traces", DiagnosticsTasks.Child.Name), $"no child's span reached the OTLP endpoint ({receiver.Describe()})");
        Assert.True(receiver.Received("/v1/metrics", "fanout.actions.started"), $"Fanout's metrics did not reach the OTLP endpoint ({receiver.Describe()})");
        Assert.True(receiver.Received("/v1/metrics", "fanout.run.duration"), $"the run duration did not reach the OTLP endpoint ({receiver.Describe()})");
    }

    // The README's block, word for word (an app writes builder.Services for services).
    private static void AddTelemetry(IServiceCollection services) =>
        services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(FanoutDiagnostics.ActivitySourceName).AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddMeter(FanoutDiagnostics.MeterName).AddOtlpExporter());
}
