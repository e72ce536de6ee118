using System.Collections.Concurrent;
using Akka.Actor;
using Fanout.Runtime.Execution;
using Fanout.Tests.Support;

namespace Fanout.Tests.Scale;

/// <summary>
/// A naive fan-out (every call started at once, awaited with Task.WhenAll) is held to the run's in-flight
/// limit and the node's slots, with the rest queued as records; finished attempts leave nothing on the node.
/// </summary>
public sealed class RunLimitSpecs : IAsyncLifetime
{
    private static readonly TaskEnvironment Env = new("run_limit");

    // Bodies wait at a gate the spec opens, so "how many run at once" is read at a moment of the spec's choosing.
    private static readonly ConcurrentDictionary<string, (ConcurrencyGauge Gauge, TaskCompletionSource Gate)> Probes = new();

    private static readonly TaskDefinition<(string Probe, int Item), int> Gated = Env.Task("gated",
        async ((string Probe, int Item) call) =>
        {
            var (gauge, gate) = Probes[call.Probe];
            using var _ = gauge.Enter();
            await gate.Task.Within(TimeSpan.FromMinutes(5), $"the spec to open the gate of probe {call.Probe}");
            return call.Item;
        });

    private static readonly TaskDefinition<(string Probe, int Count), int> FanOut = Env.Task("fan_out",
        async ((string Probe, int Count) run) =>
        {
            var calls = new List<Task<int>>();
            for (var i = 0; i < run.Count; i++) calls.Add(Gated.InvokeAsync((run.Probe, i)));
            return (await Task.WhenAll(calls)).Sum();
        });

    private readonly TempDirectory _folder = new();
    private readonly List<FanoutRuntime> _runtimes = [];

    private async Task<FanoutRuntime> StartAsync(Action<FanoutRuntimeOptions> configure)
    {
        var options = RuntimeFixture.TestOptions(_folder.File($"journal-{_runtimes.Count}.db"));
        options.HttpPort = null;
        configure(options);
        var runtime = await FanoutRuntime.StartEmbeddedAsync(options);
        _runtimes.Add(runtime);
        return runtime;
    }

    private static (ConcurrencyGauge Gauge, TaskCompletionSource Gate) NewProbe(string name) =>
        Probes[name] = (new ConcurrencyGauge(), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    [Fact]
    public async Task A_run_keeps_at_most_its_in_flight_limit_out_and_queues_the_rest()
    {
        var fanout = await StartAsync(o => o.MaxActionsInFlightPerRun = 20);
        var (gauge, gate) = NewProbe("limit");

        var run = await fanout.RunAsync(FanOut, ("limit", 200));
        await Eventually.True(() => gauge.Entered == 20, TimeSpan.FromSeconds(30), "20 bodies running");
        var summary = await Eventually.Value(() => run.GetSummaryAsync(), s => s.TotalActions == 201, TimeSpan.FromSeconds(30),
            "all 200 calls recorded");

        Assert.Equal(180, summary.Counts[ActionStatus.Queued]);
        Assert.Equal(21, summary.Counts[ActionStatus.Running]); // 20 children and the root
        Assert.Equal(20, gauge.Entered);

        gate.SetResult();
        Assert.Equal(Enumerable.Range(0, 200).Sum(), await run.WaitAsync(Deadlines.EmbeddedRun, "the 200 gated calls to end"));
        Assert.Equal(200, gauge.Entered);
        Assert.Equal(20, gauge.Peak);
    }

    [Fact]
    public async Task A_node_runs_at_most_its_slots_and_keeps_nothing_of_finished_attempts()
    {
        var fanout = await StartAsync(o => o.ActionSlots = 5);
        var (gauge, gate) = NewProbe("slots");
        var executor = fanout.ActorSystem.ActorSelection("/user/fanout-executor");

        var run = await fanout.RunAsync(FanOut, ("slots", 50));
        await Eventually.True(() => gauge.Entered == 5, TimeSpan.FromSeconds(30), "5 bodies running");
        // The root gave its slot back when it called: five children hold all five, the other 45 wait on the node.
        var load = await Eventually.Value(() => executor.Ask<ActionExecutor.Load>(ActionExecutor.GetLoad.Instance),
            l => l.Waiting == 45, TimeSpan.FromSeconds(30), "45 attempts waiting for a slot");
        Assert.Equal(6, load.Running); // five children and the root, which no longer holds a slot
        Assert.Equal(5, gauge.Entered);

        gate.SetResult();
        Assert.Equal(Enumerable.Range(0, 50).Sum(), await run.WaitAsync(Deadlines.EmbeddedRun, "the 50 gated calls to end"));
        Assert.Equal(5, gauge.Peak);
        Assert.Equal(new ActionExecutor.Load(0, 0), await executor.Ask<ActionExecutor.Load>(ActionExecutor.GetLoad.Instance));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var runtime in _runtimes) await runtime.DisposeAsync();
        _folder.Dispose();
    }
}
