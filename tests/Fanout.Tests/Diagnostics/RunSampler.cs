using OpenTelemetry.Trace;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// Records only the spec's own root span and the attempt spans of its run: other spec classes running at the same
/// time emit to the same static ActivitySource, and their attempts must neither land in this spec's exporter nor
/// carry trace context because of it (a span sampled out is never started, so nothing is carried).
/// </summary>
internal sealed class RunSampler(string rootSpanName, string runId) : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        if (parameters.Name == rootSpanName) return new SamplingResult(SamplingDecision.RecordAndSample);
        if (parameters.Tags is { } tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "fanout.run.id" && Equals(tag.Value, runId)) return new SamplingResult(SamplingDecision.RecordAndSample);
            }
        }
        return new SamplingResult(SamplingDecision.Drop);
    }
}
