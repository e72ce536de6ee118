using System.Diagnostics;
using Fanout.Tests.EndToEnd;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// A nested fan-out on two runtime nodes joined over remoting, seen through OpenTelemetry's in-memory exporters
/// the way an app wires Fanout's ActivitySource and Meter: one trace whose span tree is the run's action tree,
/// under the span of the code that started the run, and metrics that count what the run did.
/// </summary>
public sealed class TracesAndMetricsSpecs(ITestOutputHelper output)
{
    private static readonly ActivitySource CallerSource = new("Fanout.Tests.Diagnostics");

    [Fact]
    public async Task A_nested_fan_out_over_two_nodes_is_one_trace_shaped_like_its_action_tree_and_its_metrics_count_what_it_did()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(typeof(DiagnosticsTasks).Assembly);
        var runId = $"otel-{Guid.NewGuid():N}";
        var rootSpanName = $"caller {runId}";
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(FanoutDiagnostics.ActivitySourceName, CallerSource.Name)
            .SetSampler(new RunSampler(rootSpanName, runId))
            .AddInMemoryExporter(spans)
            .Build();
        using var metering = Sdk.CreateMeterProviderBuilder()
            .AddMeter(FanoutDiagnostics.MeterName)
            .AddInMemoryExporter(metrics)
            .Build();

        // The caller's span (an ASP.NET Core request's, in an app): the run's root attempt is its child.
        RunHandle<int> run;
        ActivityContext caller;
        using (var request = CallerSource.StartActivity(rootSpanName))
        {
            Assert.NotNull(request);
            caller = request.Context;
            run = await cluster.First.RunAsync(DiagnosticsTasks.Parent, DiagnosticsTasks.Children, new RunOptions { RunId = runId });
        }
        var result = await run.EndsAsync("the traced nested fan-out");

        var expectedSucceeded = DiagnosticsTasks.Children * DiagnosticsTasks.GrandchildrenEach - 1;
        Assert.Equal(expectedSucceeded, result);
        var summary = await run.GetSummaryAsync();
        var actions = (await run.GetActionsAsync(new ActionQuery(Limit: 1000))).Actions;
        Assert.Equal(1 + DiagnosticsTasks.Children * (1 + DiagnosticsTasks.GrandchildrenEach), actions.Count);

        // Both nodes ran some of the actions (each attempt records its node).
        var details = await Task.WhenAll(actions.Select(a => run.GetActionAsync(a.ActionId)));
        var nodesUsed = details.SelectMany(d => d!.Attempts).Select(a => a.Node).Distinct().Order().ToList();
        output.WriteLine($"attempts per node: {string.Join(", ", details.SelectMany(d => d!.Attempts).GroupBy(a => a.Node).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.Equal(cluster.NodeNames.Order(), nodesUsed);

        AssertOneTraceShapedLikeTheActionTree(spans.Where(s => Equals(s.GetTagItem("fanout.run.id"), runId)).ToList(), caller, actions, runId);

        metering.ForceFlush();
        AssertMetricsCountTheRun(metrics, summary, actions, cluster.NodeNames);
    }

    private void AssertOneTraceShapedLikeTheActionTree(
        IReadOnlyList<Activity> spans, ActivityContext caller, IReadOnlyList<ActionInfo> actions, string runId)
    {
        // One span per attempt, every one in the caller's trace.
        Assert.Equal(actions.Sum(a => a.Attempts), spans.Count);
        Assert.All(spans, s => Assert.Equal(caller.TraceId, s.TraceId));

        var actionBySpan = spans.ToDictionary(s => s.SpanId, s => (string)s.GetTagItem("fanout.action.id")!);
        foreach (var action in actions)
        {
            var ofAction = spans.Where(s => Equals(s.GetTagItem("fanout.action.id"), action.ActionId)).ToList();
            Assert.Equal(Enumerable.Range(1, action.Attempts), ofAction.Select(s => (int)s.GetTagItem("fanout.attempt")!).Order());
            foreach (var span in ofAction)
            {
                Assert.Equal(action.TaskName, span.GetTagItem("fanout.task"));
                Assert.Equal(string.IsNullOrEmpty(action.Group) ? null : action.Group, span.GetTagItem("fanout.group"));
                // The span's parent is an attempt of the action's parent; the root's is the caller's span.
                if (action.ParentId is null)
                    Assert.Equal(caller.SpanId, span.ParentSpanId);
                else
                    Assert.Equal(action.ParentId, actionBySpan.GetValueOrDefault(span.ParentSpanId));
            }
        }
        Assert.Equal(runId, actions.Single(a => a.ParentId is null).ActionId);

        // The failing grandchild's attempts are errors with the exception recorded; every other span is not.
        var failed = actions.Single(a => a.Status == ActionStatus.Failed);
        Assert.Equal(DiagnosticsTasks.Grandchild.Name, failed.TaskName);
        Assert.Equal(DiagnosticsTasks.GrandchildGroup, failed.Group);
        foreach (var span in spans)
        {
            if (Equals(span.GetTagItem("fanout.action.id"), failed.ActionId))
            {
                Assert.Equal(ActivityStatusCode.Error, span.Status);
                var exception = Assert.Single(span.Events, e => e.Name == "exception");
                var tags = exception.Tags.ToDictionary(t => t.Key, t => t.Value);
                Assert.Equal(typeof(InvalidOperationException).FullName, tags["exception.type"]);
                Assert.Equal($"grandchild {DiagnosticsTasks.FailingGrandchild} fails on purpose", tags["exception.message"]);
            }
            else
            {
                Assert.Equal(ActivityStatusCode.Unset, span.Status);
            }
        }
        output.WriteLine($"{spans.Count} spans in trace {caller.TraceId}");
    }

    private void AssertMetricsCountTheRun(
        IReadOnlyList<MetricSnapshot> metrics, RunSummary summary, IReadOnlyList<ActionInfo> actions, IReadOnlyList<string> nodes)
    {
        // Counters are cumulative per task; these tasks are this spec's own, so their sums are this run's.
        var ownTasks = new HashSet<string> { DiagnosticsTasks.Parent.Name, DiagnosticsTasks.Child.Name, DiagnosticsTasks.Grandchild.Name };
        long Sum(string name) => Points(metrics, name).Where(p => ownTasks.Contains(Tag(p, "fanout.task") ?? "")).Sum(p => p.GetSumLong());

        Assert.Equal(summary.TotalActions, Sum("fanout.actions.started"));
        Assert.Equal(summary.Counts.GetValueOrDefault(ActionStatus.Succeeded), Sum("fanout.actions.succeeded"));
        Assert.Equal(summary.Counts.GetValueOrDefault(ActionStatus.Failed), Sum("fanout.actions.failed"));
        Assert.Equal(actions.Sum(a => a.Attempts - 1), Sum("fanout.actions.retried"));
        Assert.Equal(DiagnosticsTasks.GrandchildRetries, Sum("fanout.actions.retried"));
        // No attempt was lost: a counter never added to is not exported at all, or exports nothing for these tasks.
        Assert.DoesNotContain(metrics.Where(m => m.Name == "fanout.attempts.lost").SelectMany(m => m.MetricPoints),
            p => ownTasks.Contains(Tag(p, "fanout.task") ?? "") && p.GetSumLong() > 0);
        Assert.Equal(1, Sum("fanout.actions.failed"));

        // Journal writes of every run in the process: at least this run's.
        Assert.True(Points(metrics, "fanout.journal.write.duration").Sum(p => p.GetHistogramCount()) > 0, "no journal write latency recorded");
        Assert.True(Points(metrics, "fanout.journal.write.entries").Sum(p => p.GetHistogramSum()) >= actions.Count,
            "the journal batch sizes do not add up to this run's actions");

        var runDurations = Points(metrics, "fanout.run.duration").Where(p => Tag(p, "fanout.task") == DiagnosticsTasks.Parent.Name).ToList();
        var recorded = Assert.Single(runDurations);
        Assert.Equal(1, recorded.GetHistogramCount());
        Assert.Equal(nameof(RunStatus.Succeeded), Tag(recorded, "fanout.run.status"));

        // Both nodes' executors report their attempts (none left running or waiting once the run ended).
        foreach (var gauge in new[] { "fanout.executor.attempts.running", "fanout.executor.attempts.waiting" })
        {
            var byNode = Points(metrics, gauge).Where(p => nodes.Contains(Tag(p, "fanout.node"))).ToList();
            Assert.Equal(nodes.Order(), byNode.Select(p => Tag(p, "fanout.node")).Order());
            Assert.All(byNode, p => Assert.Equal(0, p.GetGaugeLastValueLong()));
        }
        output.WriteLine(string.Join(", ", new[] { "started", "succeeded", "failed", "retried" }.Select(n => $"{n} {Sum($"fanout.actions.{n}")}")));
    }

    /// <summary>The points of the latest export of the metric (cumulative: the latest holds everything so far).</summary>
    private static IReadOnlyList<MetricPoint> Points(IReadOnlyList<MetricSnapshot> metrics, string name) =>
        metrics.LastOrDefault(m => m.Name == name)?.MetricPoints ?? throw new Xunit.Sdk.XunitException($"no metric {name} was exported");

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key) return tag.Value?.ToString();
        }
        return null;
    }
}
