using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Actors;

/// <summary>The action actor runs a task body and reports the attempt's outcome to its run.</summary>
public sealed class ActionActorSpecs() : TestKit(ActorSpecConfig.Hocon)
{
    private static readonly TaskEnvironment Env = new("action_actor_spec");
    private static readonly TaskDefinition<int, int> Triple = Env.Task("triple", (int x) => Task.FromResult(x * 3));
    private static readonly SemaphoreSlim BlockerStarted = new(0);
    private static readonly TaskDefinition<int, int> Blocker = Env.Task("blocker", async (int x, CancellationToken ct) =>
    {
        BlockerStarted.Release();
        await Task.Delay(Timeout.Infinite, ct);
        return x;
    });

    private (IActorRef Action, Akka.TestKit.TestProbe Runs, Akka.TestKit.TestProbe Shard) StartAction(string actionId)
    {
        var runs = CreateTestProbe();
        var shard = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions());
        var props = Props.Create(() => new ActionActor(actionId, runs.Ref, settings, Sys.Materializer(null, null)));
        var parent = Sys.ActorOf(Props.Create(() => new ParentProxy(props, "entity", shard.Ref)));
        return (parent, runs, shard);
    }

    [Fact]
    public void Runs_the_task_reports_its_result_to_the_run_and_passivates()
    {
        _ = Triple;
        var (action, runs, shard) = StartAction("r1/a#0");

        action.Tell(new ExecuteAction("r1/a#0", "r1", "action_actor_spec.triple", "14", 1, 0));

        var report = runs.ExpectMsg<AttemptFinished>();
        Assert.Equal(new AttemptFinished("r1", "r1/a#0", 1, OutcomeKind.Succeeded, "42", null, false), report);
        shard.ExpectMsg<Passivate>();
    }

    [Fact]
    public void An_unknown_task_fails_the_attempt_for_good()
    {
        var (action, runs, _) = StartAction("r1/b#0");

        action.Tell(new ExecuteAction("r1/b#0", "r1", "action_actor_spec.missing", "1", 1, 0));

        var report = runs.ExpectMsg<AttemptFinished>();
        Assert.Equal(OutcomeKind.Failed, report.Kind);
        Assert.False(report.Retryable);
        Assert.Equal("Fanout.UnknownTaskException", report.Error?.Type);
        Assert.Contains("action_actor_spec.missing", report.Error?.Message);
    }

    [Fact]
    public void Input_that_does_not_deserialize_fails_the_attempt_for_good()
    {
        _ = Triple;
        var (action, runs, _) = StartAction("r1/c#0");

        action.Tell(new ExecuteAction("r1/c#0", "r1", "action_actor_spec.triple", "\"text\"", 1, 0));

        var report = runs.ExpectMsg<AttemptFinished>();
        Assert.Equal(OutcomeKind.Failed, report.Kind);
        Assert.False(report.Retryable);
        Assert.Equal("Fanout.InvalidTaskInputException", report.Error?.Type);
    }

    [Fact]
    public async Task An_attempt_stopped_before_it_ended_is_reported_as_interrupted()
    {
        _ = Blocker;
        var (action, runs, _) = StartAction("r1/e#0");
        action.Tell(new ExecuteAction("r1/e#0", "r1", "action_actor_spec.blocker", "5", 3, 0));
        Assert.True(await BlockerStarted.WaitAsync(TimeSpan.FromSeconds(10)));

        Sys.Stop(action);

        var report = runs.ExpectMsg<AttemptFinished>();
        Assert.Equal((OutcomeKind.Interrupted, 3, true), (report.Kind, report.Attempt, report.Retryable));
    }

    [Fact]
    public async Task Cancel_fires_the_body_token_and_reports_the_attempt_cancelled()
    {
        _ = Blocker;
        var (action, runs, _) = StartAction("r1/d#0");
        action.Tell(new ExecuteAction("r1/d#0", "r1", "action_actor_spec.blocker", "5", 1, 0));
        Assert.True(await BlockerStarted.WaitAsync(TimeSpan.FromSeconds(10)));

        action.Tell(new CancelAction("r1/d#0", "test"));

        var report = runs.ExpectMsg<AttemptFinished>();
        Assert.Equal(OutcomeKind.Cancelled, report.Kind);
    }
}
