using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Actors;

/// <summary>
/// Where a run sends attempts in a cluster: calls are shared out by load, an environment's role is honoured, an
/// action no node may run waits (and says so) and fails after the placement timeout, and the attempts of
/// an executor that dies start again on another.
/// </summary>
public sealed class RunPlacementSpecs : TestKit
{
    public RunPlacementSpecs() : base(ActorSpecConfig.Hocon) => IgnoreMessages<ReportsAcknowledged>();

    private static readonly CallOptions AnyNode = new(0, 0, 10, 100);
    private static readonly CallOptions GpuOnly = AnyNode with { Role = "gpu" };

    private (IActorRef Run, IActorRef Directory) StartRun(string runId, RuntimeSettings settings, params ExecutorEntry[] executors)
    {
        var directory = Sys.ActorOf(StaticDirectory.Props(executors));
        var props = Props.Create(() => new RunActor(runId, directory, settings));
        var run = Sys.ActorOf(Props.Create(() => new ParentProxy(props, runId, CreateTestProbe().Ref, null, null)));
        return (run, directory);
    }

    private static RuntimeSettings Settings(TimeSpan? placementTimeout = null) =>
        RuntimeSettings.From(new FanoutRuntimeOptions { PlacementTimeout = placementTimeout ?? TimeSpan.FromMinutes(5) });

    /// <summary>An executor in front of the probe (the probe sees each attempt, however the run batched them).</summary>
    private IActorRef Stub(TestProbe probe) => Sys.ActorOf(ExecutorStub.Props(probe.Ref));

    private static ChildCall Call(string id, CallOptions options) => new(id, "env.leaf", null, "1", options);

    [Fact]
    public void Calls_are_shared_out_by_load_and_a_role_is_honoured()
    {
        var plain = CreateTestProbe();
        var gpu = CreateTestProbe();
        var (run, _) = StartRun("r-turns", Settings(), StaticDirectory.Entry(Stub(plain)), StaticDirectory.Entry(Stub(gpu), "gpu"));
        run.Tell(new StartRun("r-turns", "env.main", "0", AnyNode));
        ExpectMsg<RunAccepted>();

        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-turns", "r-turns",
            [.. Enumerable.Range(0, 4).Select(i => Call($"r-turns/env.leaf#{i}", AnyNode)),
             .. Enumerable.Range(4, 4).Select(i => Call($"r-turns/env.leaf#{i}", GpuOnly))], parent.Ref));
        ExpectMsg(new ChildrenAccepted(8));

        // The root went to one of them (runs start their turns at different executors); then the calls.
        var onGpu = gpu.ReceiveWhile(TimeSpan.FromSeconds(1), m => (ExecuteAction)m).Select(e => e.ActionId).ToList();
        var onPlain = plain.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => (ExecuteAction)m).Select(e => e.ActionId).ToList();
        Assert.Equal(9, onGpu.Count + onPlain.Count);
        Assert.Single(onGpu.Concat(onPlain), id => id == "r-turns");
        // The gpu actions ran only where the role is; the others (the root among them) were shared out so that
        // neither node got more than one more than the other: no load is reported here, so what the run sent
        // each is their load.
        Assert.All(Enumerable.Range(4, 4), i => Assert.Contains($"r-turns/env.leaf#{i}", onGpu));
        Assert.All(onPlain, id => Assert.DoesNotContain(id, Enumerable.Range(4, 4).Select(i => $"r-turns/env.leaf#{i}")));
        var anyNodeOnGpu = onGpu.Count - 4;
        Assert.InRange(onPlain.Count - anyNodeOnGpu, -1, 1);
    }

    [Fact]
    public void An_action_waits_for_a_node_with_its_role_and_says_so()
    {
        var plain = CreateTestProbe();
        var (run, directory) = StartRun("r-wait", Settings(), StaticDirectory.Entry(Stub(plain)));
        run.Tell(new StartRun("r-wait", "env.main", "0", AnyNode));
        ExpectMsg<RunAccepted>();
        plain.ExpectMsg<ExecuteAction>();

        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-wait", "r-wait", [Call("r-wait/env.leaf#0", GpuOnly)], parent.Ref));
        ExpectMsg(new ChildrenAccepted(1));
        plain.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        run.Tell(new GetRunSummary("r-wait"));
        var summary = ExpectMsg<RunSummaryReply>().Summary!;
        Assert.Contains("1 action(s) wait for a live node with role 'gpu'", summary.WaitingFor);
        Assert.Equal(1, summary.Counts[ActionStatus.Queued]);

        // A node with the role joins: the action starts there.
        var gpu = CreateTestProbe();
        directory.Tell(new StaticDirectory.SetExecutors([StaticDirectory.Entry(Stub(plain)), StaticDirectory.Entry(Stub(gpu), "gpu")]));
        Assert.Equal(("r-wait/env.leaf#0", 1), gpu.ExpectMsg<ExecuteAction>() is var e ? (e.ActionId, e.Attempt) : default);
        run.Tell(new GetRunSummary("r-wait"));
        Assert.Null(ExpectMsg<RunSummaryReply>().Summary!.WaitingFor);
    }

    [Fact]
    public void An_action_no_node_may_run_fails_after_the_placement_timeout_with_an_error_naming_the_role()
    {
        var plain = CreateTestProbe();
        var (run, _) = StartRun("r-none", Settings(TimeSpan.FromMilliseconds(500)), StaticDirectory.Entry(Stub(plain)));
        run.Tell(new StartRun("r-none", "env.main", "0", AnyNode));
        ExpectMsg<RunAccepted>();
        plain.ExpectMsg<ExecuteAction>();

        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-none", "r-none", [Call("r-none/env.leaf#0", GpuOnly)], parent.Ref));
        ExpectMsg(new ChildrenAccepted(1));

        var outcome = parent.ExpectMsg<ChildResults>(TimeSpan.FromSeconds(5)).Outcomes.Single();
        Assert.Equal(OutcomeKind.Failed, outcome.Kind);
        Assert.Equal("Fanout.NoNodeForRole", outcome.Error!.Type);
        Assert.Contains("with role 'gpu'", outcome.Error.Message);
        Assert.Contains("PlacementTimeout", outcome.Error.Message);
    }

    [Fact]
    public void The_attempts_of_an_executor_that_dies_start_again_on_another()
    {
        var first = CreateTestProbe();
        var firstStub = Stub(first);
        var second = CreateTestProbe();
        var (run, directory) = StartRun("r-lost", Settings(), StaticDirectory.Entry(firstStub));
        run.Tell(new StartRun("r-lost", "env.main", "0", AnyNode));
        ExpectMsg<RunAccepted>();
        first.ExpectMsg<ExecuteAction>();
        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-lost", "r-lost", [Call("r-lost/env.leaf#0", AnyNode), Call("r-lost/env.leaf#1", AnyNode)], parent.Ref));
        ExpectMsg(new ChildrenAccepted(2));
        first.ReceiveN(2);
        run.Tell(new AttemptFinished("r-lost", "r-lost/env.leaf#0", 1, OutcomeKind.Succeeded, "1", null, false));
        parent.ExpectMsg<ChildResults>();

        // The first node dies: the directory drops it and the run hears its executor is gone.
        directory.Tell(new StaticDirectory.SetExecutors([StaticDirectory.Entry(Stub(second))]));
        Sys.Stop(firstStub);

        var restarted = second.ReceiveN(2, TimeSpan.FromSeconds(5)).Cast<ExecuteAction>().OrderBy(e => e.ActionId).ToList();
        Assert.Equal(new[] { ("r-lost", 2), ("r-lost/env.leaf#1", 2) }, restarted.Select(e => (e.ActionId, e.Attempt)));
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the finished child does not run again
    }

    [Fact]
    public void An_executor_that_hands_attempts_back_gets_no_more_until_the_directory_lists_it_again()
    {
        var (one, two) = (CreateTestProbe(), CreateTestProbe());
        var (oneStub, twoStub) = (Stub(one), Stub(two));
        var (run, _) = StartRun("r-back", Settings(), StaticDirectory.Entry(oneStub), StaticDirectory.Entry(twoStub));
        run.Tell(new StartRun("r-back", "env.main", "0", AnyNode));
        ExpectMsg<RunAccepted>();
        // Whichever got the root hands it back, as a leaving node does.
        var rootOnOne = one.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => (ExecuteAction)m, 1).Count == 1;
        var (leaving, leavingStub, staying) = rootOnOne ? (one, oneStub, two) : (two, twoStub, one);
        if (!rootOnOne) two.ExpectMsg<ExecuteAction>();

        run.Tell(new AttemptsFinished("r-back", [new AttemptFinished("r-back", "r-back", 1, OutcomeKind.Interrupted, null, null, true)],
            Draining: true), leavingStub);

        Assert.Equal(("r-back", 2), staying.ExpectMsg<ExecuteAction>() is var again ? (again.ActionId, again.Attempt) : default);
        Assert.Equal(new AttemptKey("r-back", 1), leaving.ExpectMsg<ReportsAcknowledged>().Reports.Single());
        leaving.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_executor_that_hands_an_attempt_back_without_leaving_keeps_its_turn()
    {
        // A restarted executor reports what it dropped as interrupted, but it is still there: unlike a
        // draining one, it is not left out until the directory's next list (which may never come).
        var (one, two) = (CreateTestProbe(), CreateTestProbe());
        var (oneStub, twoStub) = (Stub(one), Stub(two));
        var (run, _) = StartRun("r-restart", Settings(), StaticDirectory.Entry(oneStub), StaticDirectory.Entry(twoStub));
        run.Tell(new StartRun("r-restart", "env.main", "0", AnyNode));
        ExpectMsg<RunAccepted>();
        var rootOnOne = one.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => (ExecuteAction)m, 1).Count == 1;
        var (restarted, restartedStub) = rootOnOne ? (one, oneStub) : (two, twoStub);
        if (!rootOnOne) two.ExpectMsg<ExecuteAction>();

        run.Tell(new AttemptsFinished("r-restart", [new AttemptFinished("r-restart", "r-restart", 1, OutcomeKind.Interrupted, null, null, true)]),
            restartedStub);
        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-restart", "r-restart",
            Enumerable.Range(0, 4).Select(i => new ChildCall($"r-restart/env.leaf#{i}", "env.leaf", null, $"{i}", AnyNode)).ToList(), parent.Ref));

        // The root's next attempt and the four leaves take turns over both executors: the restarted one gets its share.
        var toRestarted = restarted.ReceiveWhile(TimeSpan.FromSeconds(1), m => m).OfType<ExecuteAction>().ToList();
        Assert.NotEmpty(toRestarted);
    }

    [Fact]
    public void An_executor_that_turns_attempts_away_gets_none_until_it_reports_room_and_with_every_node_full_calls_wait_without_failing()
    {
        var (one, two) = (CreateTestProbe(), CreateTestProbe());
        var (oneEntry, twoEntry) = (StaticDirectory.Entry(Stub(one)), StaticDirectory.Entry(Stub(two)));
        // A placement timeout far shorter than the wait below: waiting for room is not waiting for a node.
        var (run, _) = StartRun("r-full", Settings(TimeSpan.FromMilliseconds(300)), oneEntry, twoEntry);
        run.Tell(new StartRun("r-full", "env.main", "0", AnyNode));
        ExpectMsg<RunAccepted>();
        var rootOnOne = one.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => (ExecuteAction)m, 1).Count == 1;
        var (full, fullEntry, other, otherEntry) = rootOnOne ? (one, oneEntry, two, twoEntry) : (two, twoEntry, one, oneEntry);
        if (!rootOnOne) two.ExpectMsg<ExecuteAction>();

        // The root's executor turns it away (its queue is full): the next attempt goes to the other one ...
        run.Tell(new AttemptsFinished("r-full", [new AttemptFinished("r-full", "r-full", 1, OutcomeKind.Interrupted, null,
            new ErrorInfo("Fanout.NodeFull", "attempt 1 was turned away: its node's queue is full", null), true)], Full: true), fullEntry.Executor);
        Assert.Equal(("r-full", 2), other.ExpectMsg<ExecuteAction>() is var again ? (again.ActionId, again.Attempt) : default);
        Assert.Equal(new AttemptKey("r-full", 1), full.ExpectMsg<ReportsAcknowledged>().Reports.Single());

        // ... and so do the calls, though the full one looks idle by what the run sent it.
        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-full", "r-full", [.. Enumerable.Range(0, 3).Select(i => Call($"r-full/env.leaf#{i}", AnyNode))], parent.Ref));
        ExpectMsg(new ChildrenAccepted(3));
        Assert.Equal(3, other.ReceiveN(3).Count);
        full.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // The other fills up too: a new call waits, says what for, and outlasts the placement timeout.
        otherEntry.Gauge.Update(new ExecutorLoad(otherEntry.Executor, 10, 100, 10, MaxWaiting: 100, Full: true));
        run.Tell(new StartChildren("r-full", "r-full", [Call("r-full/env.leaf#3", AnyNode)], parent.Ref));
        ExpectMsg(new ChildrenAccepted(1));
        run.Tell(new GetRunSummary("r-full"));
        Assert.Contains("1 action(s) wait for room: every node (any worker) is full", ExpectMsg<RunSummaryReply>().Summary!.WaitingFor);
        parent.ExpectNoMsg(TimeSpan.FromSeconds(1));
        other.ExpectNoMsg(TimeSpan.Zero);
        full.ExpectNoMsg(TimeSpan.Zero);

        // The first reports room: the waiting call goes there.
        fullEntry.Gauge.Update(new ExecutorLoad(fullEntry.Executor, 10, 5, 10, MaxWaiting: 100, Full: false));
        Assert.Equal(("r-full/env.leaf#3", 1), full.ExpectMsg<ExecuteAction>() is var leaf ? (leaf.ActionId, leaf.Attempt) : default);
        run.Tell(new GetRunSummary("r-full"));
        Assert.Null(ExpectMsg<RunSummaryReply>().Summary!.WaitingFor);
    }
}
