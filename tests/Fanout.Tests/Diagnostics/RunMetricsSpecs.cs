using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime;

using Fanout.Tests.Runtime;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// What the run's decisions count, read with a plain <see cref="MeterListener"/> on the run's core (no actors):
/// retries, lost attempts and outcomes by task, the run's duration once, and nothing again when a recovery replays
/// the journal. Task names are unique per spec, since other specs feed the same static Meter meanwhile.
/// </summary>
public sealed class RunMetricsSpecs : IDisposable
{
    private static readonly CallOptions TwoRetries = new(2, 0, 10, 100);
    private static readonly IActorRef ExecutorA = new NamedRef("executor-a");
    private static readonly IActorRef ExecutorB = new NamedRef("executor-b");
    private static readonly IActorRef RootExecutor = new NamedRef("root-executor");
    private static readonly IActorRef ParentExecutor = new NamedRef("parent-executor");

    private readonly string _rootTask = $"m{Guid.NewGuid():N}.root";
    private readonly string _leafTask = $"m{Guid.NewGuid():N}.leaf";
    private readonly ConcurrentDictionary<(string Instrument, string Task), double> _measured = new();
    private readonly MeterListener _listener = new();
    private readonly JournalingEffects _effects = new();
    private long _now = 1_000;

    public RunMetricsSpecs()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FanoutDiagnostics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key != "fanout.task" || tag.Value is not string task || (task != _rootTask && task != _leafTask)) continue;
            // Histograms: count the recordings; counters: add the values.
            var amount = instrument is Histogram<double> ? 1 : value;
            _measured.AddOrUpdate((instrument.Name, task), amount, (_, sum) => sum + amount);
        }
    }

    private double Measured(string instrument, string task) => _measured.GetValueOrDefault((instrument, task));

    [Fact]
    public void Retries_lost_attempts_and_outcomes_are_counted_by_task_and_the_run_duration_once()
    {
        var core = Start(lostAttemptRetries: 1);
        core.OnExecutorsChanged([Entry(ExecutorA)]); // the root runs on an executor of its own; its children here
        core.Call("r", [new ChildCall("r/flaky", _leafTask, null, "1", TwoRetries), new ChildCall("r/lost", _leafTask, null, "2", TwoRetries)],
            ParentExecutor);

        // One failure retried, then success.
        core.OnAttemptFinished(Failed("r/flaky", 1));
        core.RetryDue("r/flaky", 1);
        Assert.True(core.OnAttemptFinished(new AttemptFinished("r", "r/flaky", 2, OutcomeKind.Succeeded, "1", null, false)));

        // The executor dies twice under the other child: lost twice, one more than allowed, it fails.
        core.OnExecutorsChanged([Entry(ExecutorB)]);
        core.OnExecutorLost(ExecutorA);
        core.OnExecutorsChanged([Entry(ExecutorA)]);
        core.OnExecutorLost(ExecutorB);
        Assert.Equal(ActionStatus.Failed, core.State.Find("r/lost")!.Status);

        Assert.Equal(1, Measured("fanout.actions.started", _rootTask));
        Assert.Equal(2, Measured("fanout.actions.started", _leafTask));
        Assert.Equal(1, Measured("fanout.actions.retried", _leafTask));
        Assert.Equal(2, Measured("fanout.attempts.lost", _leafTask));
        Assert.Equal(0, Measured("fanout.attempts.lost", _rootTask));
        Assert.Equal(1, Measured("fanout.actions.succeeded", _leafTask));
        Assert.Equal(1, Measured("fanout.actions.failed", _leafTask));
        Assert.Equal(0, Measured("fanout.run.duration", _rootTask));

        _now += 2_500;
        var root = core.State.Root!;
        Assert.True(core.OnAttemptFinished(new AttemptFinished("r", "r", root.Attempts, OutcomeKind.Succeeded, "3", null, false)));
        Assert.Equal(RunStatus.Succeeded, core.State.Status);
        Assert.Equal(1, Measured("fanout.actions.succeeded", _rootTask));
        Assert.Equal(1, Measured("fanout.run.duration", _rootTask));

        // A recovery applies the journaled facts again without recording them: nothing is counted twice.
        var counted = _measured.ToDictionary(p => p.Key, p => p.Value);
        var replayed = new RunState("r");
        foreach (var entry in _effects.Journaled) replayed.Apply(entry);
        Assert.Equal(RunStatus.Succeeded, replayed.Status);
        Assert.Equal(counted, _measured.ToDictionary(p => p.Key, p => p.Value));
    }

    private RunCore Start(int lostAttemptRetries)
    {
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { LostAttemptRetries = lostAttemptRetries });
        var core = new RunCore(new RunState("r"), settings, _effects, () => _now);
        _effects.Core = core;
        core.OnExecutorsChanged([Entry(RootExecutor)]);
        core.Start(new StartRun("r", _rootTask, "0", TwoRetries));
        return core;
    }

    private static AttemptFinished Failed(string id, int attempt) =>
        new("r", id, attempt, OutcomeKind.Failed, null, new ErrorInfo("System.Exception", "boom", null), Retryable: true);

    private static ExecutorEntry Entry(IActorRef executor) => new(executor, new Address("akka.tcp", "fanout", executor.Path.Name, 1), []);

    public void Dispose() => _listener.Dispose();

    /// <summary>An actor ref with a name and nothing behind it: the core only compares and names them.</summary>
    private sealed class NamedRef(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("akka", "spec")) / name;

        public override IActorRefProvider Provider => throw new NotSupportedException("a spec's stand-in executor has no provider");
    }
}
