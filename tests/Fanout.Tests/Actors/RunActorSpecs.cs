using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Actors;

/// <summary>
/// The run actor's protocol: journal, dispatch, answer parents, retry, and resume from its journal. The
/// acknowledgements the run sends to the reports' sender are left out here (RunDeliverySpecs checks them).
/// </summary>
public sealed class RunActorSpecs : TestKit
{
    public RunActorSpecs() : base(ActorSpecConfig.Hocon) => IgnoreMessages<ReportsAcknowledged>();

    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);
    private static readonly CallOptions TwoRetries = new(2, 0, 10, 100);

    /// <summary>A directory that lists one executor: the probe.</summary>
    private IActorRef DirectoryOf(TestProbe executor) =>
        Sys.ActorOf(StaticDirectory.Props(StaticDirectory.Entry(Sys.ActorOf(ExecutorStub.Props(executor.Ref)))));

    private IActorRef StartRun(string runId, TestProbe actions, TestProbe shard, object? firstMessage = null,
        RuntimeSettings? settings = null)
    {
        settings ??= RuntimeSettings.From(new FanoutRuntimeOptions());
        var props = Props.Create(() => new RunActor(runId, DirectoryOf(actions), settings));
        var testActor = TestActor;
        return Sys.ActorOf(Props.Create(() => new ParentProxy(props, runId, shard.Ref, firstMessage, testActor)));
    }

    /// <summary>A run that has been started: its acceptance and its root's first dispatch are taken off the probes.</summary>
    private IActorRef StartedRun(string runId, TestProbe actions, TestProbe? shard = null, RuntimeSettings? settings = null)
    {
        var run = StartRun(runId, actions, shard ?? CreateTestProbe(), settings: settings);
        run.Tell(new StartRun(runId, "env.main", "0", NoRetries));
        ExpectMsg(new RunAccepted(runId));
        Assert.Equal((runId, 1), actions.ExpectMsg<ExecuteAction>() is var root ? (root.ActionId, root.Attempt) : default);
        return run;
    }

    /// <summary>Stops the run's actor as a dying process would: without ending the run.</summary>
    private void Kill(IActorRef run)
    {
        Watch(run);
        Sys.Stop(run);
        ExpectTerminated(run);
    }

    [Fact]
    public void Starting_a_run_journals_it_and_dispatches_the_root_action()
    {
        var actions = CreateTestProbe();
        var run = StartRun("r-start", actions, CreateTestProbe());

        run.Tell(new StartRun("r-start", "env.main", "7", NoRetries));

        ExpectMsg(new RunAccepted("r-start"));
        Assert.Equal(new ExecuteAction("r-start", "r-start", "env.main", "7", 1, 0), actions.ExpectMsg<ExecuteAction>());
        run.Tell(new StartRun("r-start", "env.main", "7", NoRetries));
        ExpectMsg(new RunAccepted("r-start"));
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // starting the same run twice changes nothing
    }

    [Fact]
    public void Children_are_dispatched_and_their_journaled_outcomes_go_to_the_parent()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var run = StartedRun("r-kids", actions);

        run.Tell(new StartChildren("r-kids", "r-kids", [Call("r-kids/env.leaf#0", "10"), Call("r-kids/env.leaf#1", "11")], parent.Ref));

        ExpectMsg(new ChildrenAccepted(2));
        var dispatched = actions.ReceiveN(2).Cast<ExecuteAction>().Select(e => e.ActionId).Order().ToList();
        Assert.Equal(new[] { "r-kids/env.leaf#0", "r-kids/env.leaf#1" }, dispatched);

        run.Tell(new AttemptFinished("r-kids", "r-kids/env.leaf#1", 1, OutcomeKind.Succeeded, "\"b\"", null, false));
        var outcome = parent.ExpectMsg<ChildResults>().Outcomes.Single();
        Assert.Equal(new ChildOutcome("r-kids/env.leaf#1", "env.leaf", OutcomeKind.Succeeded, "\"b\"", null, 1), outcome);

        // Asked again (a parent that runs again), a finished child answers from the journal and does not run.
        run.Tell(new StartChildren("r-kids", "r-kids", [Call("r-kids/env.leaf#1", "11")], parent.Ref));
        ExpectMsg(new ChildrenAccepted(1));
        Assert.Equal("\"b\"", parent.ExpectMsg<ChildResults>().Outcomes.Single().ResultJson);
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_failed_attempt_is_retried_after_backoff_until_the_budget_is_spent()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var run = StartedRun("r-retry", actions);
        run.Tell(new StartChildren("r-retry", "r-retry", [Call("r-retry/env.flaky#0", "1", TwoRetries)], parent.Ref));
        Assert.Equal(1, actions.ExpectMsg<ExecuteAction>().Attempt);

        var error = new ErrorInfo("System.Exception", "boom", "at Somewhere()");
        run.Tell(new AttemptFinished("r-retry", "r-retry/env.flaky#0", 1, OutcomeKind.Failed, null, error, true));
        Assert.Equal(2, actions.ExpectMsg<ExecuteAction>().Attempt);
        run.Tell(new AttemptFinished("r-retry", "r-retry/env.flaky#0", 2, OutcomeKind.Failed, null, error, true));
        Assert.Equal(3, actions.ExpectMsg<ExecuteAction>().Attempt);
        run.Tell(new AttemptFinished("r-retry", "r-retry/env.flaky#0", 3, OutcomeKind.Failed, null, error, true));

        var outcome = parent.ExpectMsg<ChildResults>().Outcomes.Single();
        Assert.Equal(OutcomeKind.Failed, outcome.Kind);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(error, outcome.Error);
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_run_restarted_from_its_journal_runs_its_root_again_and_keeps_finished_children()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var shard = CreateTestProbe();
        var run = StartedRun("r-resume", actions, shard);
        run.Tell(new StartChildren("r-resume", "r-resume", [Call("r-resume/env.leaf#0", "1"), Call("r-resume/env.leaf#1", "2")], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ReceiveN(2);
        run.Tell(new AttemptFinished("r-resume", "r-resume/env.leaf#0", 1, OutcomeKind.Succeeded, "100", null, false));
        parent.ExpectMsg<ChildResults>();

        // The process dies: the actor stops without ending the run.
        Kill(run);

        var restarted = StartRun("r-resume", actions, shard);
        var rootAgain = actions.ExpectMsg<ExecuteAction>();
        Assert.Equal(("r-resume", 2), (rootAgain.ActionId, rootAgain.Attempt));

        var newParent = CreateTestProbe();
        restarted.Tell(new StartChildren("r-resume", "r-resume",
            [Call("r-resume/env.leaf#0", "1"), Call("r-resume/env.leaf#1", "2")], newParent.Ref));
        ExpectMsg<ChildrenAccepted>();
        Assert.Equal("100", newParent.ExpectMsg<ChildResults>().Outcomes.Single().ResultJson);
        var lost = actions.ExpectMsg<ExecuteAction>();
        Assert.Equal(("r-resume/env.leaf#1", 2), (lost.ActionId, lost.Attempt));
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_run_that_moved_adopts_leaves_still_running_on_live_executors_and_runs_parents_again()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var shard = CreateTestProbe();
        var run = StartedRun("r-moved", actions, shard);
        run.Tell(new StartChildren("r-moved", "r-moved", [Call("r-moved/env.leaf#0", "1"), Call("r-moved/env.leaf#1", "2")], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ReceiveN(2);
        run.Tell(new AttemptFinished("r-moved", "r-moved/env.leaf#0", 1, OutcomeKind.Succeeded, "100", null, false));
        parent.ExpectMsg<ChildResults>();
        Kill(run);

        // The run starts on another node while its executor still runs the root (a parent) and leaf#1.
        var stub = Sys.ActorOf(ExecutorStub.Props(actions.Ref,
            new HeldAttempt("r-moved", 1, IsParent: true), new HeldAttempt("r-moved/env.leaf#1", 1, IsParent: false)));
        var directory = Sys.ActorOf(StaticDirectory.Props(StaticDirectory.Entry(stub)));
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions());
        var moved = Sys.ActorOf(Props.Create(() =>
            new ParentProxy(Props.Create(() => new RunActor("r-moved", directory, settings)), "r-moved", shard.Ref, null, null)));

        // The old parent is dropped quietly and the root runs again; the running leaf is left alone.
        Assert.Equal(new AbandonAttempt("r-moved", 1), actions.ExpectMsg<AbandonAttempt>());
        Assert.Equal(("r-moved", 2), actions.ExpectMsg<ExecuteAction>() is var root ? (root.ActionId, root.Attempt) : default);
        var newParent = CreateTestProbe();
        moved.Tell(new StartChildren("r-moved", "r-moved", [Call("r-moved/env.leaf#0", "1"), Call("r-moved/env.leaf#1", "2")], newParent.Ref));
        ExpectMsg<ChildrenAccepted>();
        Assert.Equal("100", newParent.ExpectMsg<ChildResults>().Outcomes.Single().ResultJson);
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // leaf#1 is not started again

        // Its first attempt ends where it ran: the outcome reaches the parent that runs now.
        moved.Tell(new AttemptFinished("r-moved", "r-moved/env.leaf#1", 1, OutcomeKind.Succeeded, "200", null, false));
        Assert.Equal(("r-moved/env.leaf#1", "200", 1), newParent.ExpectMsg<ChildResults>().Outcomes.Single() is var o
            ? (o.ActionId, o.ResultJson, o.Attempts) : default);
    }

    [Fact]
    public void A_child_recovered_while_waiting_for_its_retry_starts_its_next_attempt_when_asked_again()
    {
        var actions = CreateTestProbe();
        var shard = CreateTestProbe();
        var parent = CreateTestProbe();
        var slowRetry = new CallOptions(1, 0, 60_000, 60_000); // the retry would wait a minute
        var run = StartedRun("r-retrying", actions, shard);
        run.Tell(new StartChildren("r-retrying", "r-retrying", [Call("r-retrying/env.leaf#0", "1", slowRetry)], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ExpectMsg<ExecuteAction>();
        run.Tell(new AttemptFinished("r-retrying", "r-retrying/env.leaf#0", 1, OutcomeKind.Failed, null,
            new ErrorInfo("System.Exception", "first", null), true));
        run.Tell(new GetRunSummary("r-retrying"));
        Assert.Equal(1, ExpectMsg<RunSummaryReply>().Summary!.Counts[ActionStatus.Retrying]);
        Kill(run);

        var restarted = StartRun("r-retrying", actions, shard);
        Assert.Equal(("r-retrying", 2), (actions.ExpectMsg<ExecuteAction>() is var root ? (root.ActionId, root.Attempt) : default));
        restarted.Tell(new StartChildren("r-retrying", "r-retrying", [Call("r-retrying/env.leaf#0", "1", slowRetry)], parent.Ref));

        ExpectMsg<ChildrenAccepted>();
        var retry = actions.ExpectMsg<ExecuteAction>();
        Assert.Equal(("r-retrying/env.leaf#0", 2), (retry.ActionId, retry.Attempt));
    }

    [Fact]
    public void Attempts_lost_with_their_node_fail_the_action_after_the_allowance()
    {
        var actions = CreateTestProbe();
        var shard = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { LostAttemptRetries = 1 });
        var directory = DirectoryOf(actions);
        IActorRef Start() => Sys.ActorOf(Props.Create(() =>
            new ParentProxy(Props.Create(() => new RunActor("r-lost", directory, settings)), "r-lost", shard.Ref)));

        var run = Start();
        run.Tell(new StartRun("r-lost", "env.main", "0", NoRetries));
        ExpectMsg<RunAccepted>();
        Assert.Equal(1, actions.ExpectMsg<ExecuteAction>().Attempt);
        for (var crash = 1; crash <= 2; crash++)
        {
            Kill(run);
            run = Start();
            if (crash == 1) Assert.Equal(2, actions.ExpectMsg<ExecuteAction>().Attempt);
        }

        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        run.Tell(new AwaitRun("r-lost", 5000));
        var outcome = ExpectMsg<RunOutcome>();
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("Fanout.AttemptLostException", outcome.Error?.Type);
        Assert.Equal(2, outcome.Attempts);
    }

    [Fact]
    public void An_interrupted_attempt_starts_another_and_counts_neither_as_failed_nor_as_lost()
    {
        var actions = CreateTestProbe();
        // No retries and no lost attempt allowed: only an attempt that counts as neither may run again.
        var run = StartedRun("r-int", actions, settings: RuntimeSettings.From(new FanoutRuntimeOptions { LostAttemptRetries = 0 }));

        run.Tell(new AttemptFinished("r-int", "r-int", 1, OutcomeKind.Interrupted, null, null, true));
        Assert.Equal(2, actions.ExpectMsg<ExecuteAction>().Attempt);
        run.Tell(new AttemptFinished("r-int", "r-int", 2, OutcomeKind.Interrupted, null, null, true));
        Assert.Equal(3, actions.ExpectMsg<ExecuteAction>().Attempt);

        run.Tell(new AttemptFinished("r-int", "r-int", 3, OutcomeKind.Succeeded, "1", null, false));
        run.Tell(new AwaitRun("r-int", 5000));
        Assert.Equal(RunStatus.Succeeded, ExpectMsg<RunOutcome>().Status);
    }

    [Fact]
    public void A_finished_run_restarted_with_no_question_passivates_at_once_and_one_asked_answers_first()
    {
        var actions = CreateTestProbe();
        var shard = CreateTestProbe();
        var run = StartedRun("r-done", actions, shard);
        run.Tell(new AttemptFinished("r-done", "r-done", 1, OutcomeKind.Succeeded, "5", null, false));
        run.Tell(new AwaitRun("r-done", 5000));
        ExpectMsg<RunOutcome>();
        Kill(run);

        StartRun("r-done", actions, shard); // as remember-entities does after a restart: no message
        shard.ExpectMsg<Passivate>();

        StartRun("r-done", actions, shard, firstMessage: new GetRunSummary("r-done")); // as a shard starts it for a query
        Assert.Equal(RunStatus.Succeeded, ExpectMsg<RunSummaryReply>().Summary?.Status);
        shard.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // stays a moment for follow-up questions
    }

    [Fact]
    public void A_run_whose_root_outcome_was_journaled_but_not_its_end_ends_on_recovery_without_running_again()
    {
        var actions = CreateTestProbe();
        var batch = new LedgerBatch(new[]
        {
            new LedgerEntry(LedgerEntryKind.RunStarted, 1) { TaskName = "env.main" },
            new LedgerEntry(LedgerEntryKind.ActionRequested, 1) { ActionId = "r-half", TaskName = "env.main", InputJson = "0", Options = NoRetries },
            new LedgerEntry(LedgerEntryKind.AttemptStarted, 2) { ActionId = "r-half", Attempt = 1 },
            new LedgerEntry(LedgerEntryKind.ActionSucceeded, 3) { ActionId = "r-half", ResultJson = "42" },
        });
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter("run-r-half", new object[] { batch })));
        writer.Tell("write");
        ExpectMsg("written");

        var run = StartRun("r-half", actions, CreateTestProbe());
        run.Tell(new AwaitRun("r-half", 5000));

        var outcome = ExpectMsg<RunOutcome>();
        Assert.Equal((RunStatus.Succeeded, "42", 1), (outcome.Status, outcome.ResultJson, outcome.Attempts));
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_call_that_reuses_an_id_with_another_input_is_refused_as_non_deterministic()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var run = StartedRun("r-nondet", actions);
        run.Tell(new StartChildren("r-nondet", "r-nondet", [Call("r-nondet/env.leaf#0", "1")], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ExpectMsg<ExecuteAction>();

        run.Tell(new StartChildren("r-nondet", "r-nondet", [Call("r-nondet/env.leaf#0", "2")], parent.Ref));

        ExpectMsg<ChildrenAccepted>();
        var outcome = parent.ExpectMsg<ChildResults>().Outcomes.Single();
        Assert.Equal(OutcomeKind.Failed, outcome.Kind);
        Assert.Equal("Fanout.NonDeterministicCall", outcome.Error?.Type);
        Assert.Contains("env.leaf(1)", outcome.Error?.Message);
        Assert.Contains("env.leaf(2)", outcome.Error?.Message);
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Calls_beyond_the_in_flight_limit_queue_and_start_as_others_end()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { MaxActionsInFlightPerRun = 2 });
        var run = StartedRun("r-limit", actions, settings: settings);

        var calls = Enumerable.Range(0, 5).Select(i => Call($"r-limit/env.leaf#{i}", $"{i}")).ToList();
        run.Tell(new StartChildren("r-limit", "r-limit", calls, parent.Ref));
        ExpectMsg(new ChildrenAccepted(5));

        // The root stopped counting when it called; two children fill the limit, three wait.
        var first = actions.ReceiveN(2).Cast<ExecuteAction>().Select(e => e.ActionId).ToList();
        Assert.Equal(new[] { "r-limit/env.leaf#0", "r-limit/env.leaf#1" }, first);
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        run.Tell(new GetRunSummary("r-limit"));
        var counts = ExpectMsg<RunSummaryReply>().Summary!.Counts;
        Assert.Equal((3, 3), (counts[ActionStatus.Queued], counts[ActionStatus.Running])); // the root runs too

        for (var i = 0; i < 5; i++)
        {
            run.Tell(new AttemptFinished("r-limit", $"r-limit/env.leaf#{i}", 1, OutcomeKind.Succeeded, $"{i * 10}", null, false));
            Assert.Equal($"{i * 10}", parent.ExpectMsg<ChildResults>().Outcomes.Single().ResultJson);
            if (i + 2 < 5) Assert.Equal($"r-limit/env.leaf#{i + 2}", actions.ExpectMsg<ExecuteAction>().ActionId);
        }
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_failed_attempt_gives_its_place_back_while_it_waits_for_its_retry()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { MaxActionsInFlightPerRun = 1 });
        var slowRetry = new CallOptions(1, 0, 60_000, 60_000);
        var run = StartedRun("r-place", actions, settings: settings);
        run.Tell(new StartChildren("r-place", "r-place", [Call("r-place/env.leaf#0", "0", slowRetry), Call("r-place/env.leaf#1", "1")], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        Assert.Equal("r-place/env.leaf#0", actions.ExpectMsg<ExecuteAction>().ActionId);

        run.Tell(new AttemptFinished("r-place", "r-place/env.leaf#0", 1, OutcomeKind.Failed, null,
            new ErrorInfo("System.Exception", "first", null), true));

        Assert.Equal("r-place/env.leaf#1", actions.ExpectMsg<ExecuteAction>().ActionId);
    }

    [Fact]
    public void A_run_restarted_with_queued_calls_starts_them_within_the_limit()
    {
        var actions = CreateTestProbe();
        var shard = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { MaxActionsInFlightPerRun = 2 });
        var run = StartedRun("r-queued", actions, shard, settings);
        var calls = Enumerable.Range(0, 4).Select(i => Call($"r-queued/env.leaf#{i}", $"{i}")).ToList();
        run.Tell(new StartChildren("r-queued", "r-queued", calls, CreateTestProbe().Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ReceiveN(2);
        Kill(run);

        var restarted = StartRun("r-queued", actions, shard, settings: settings);
        Assert.Equal("r-queued", actions.ExpectMsg<ExecuteAction>().ActionId);
        restarted.Tell(new StartChildren("r-queued", "r-queued", calls, CreateTestProbe().Ref));
        ExpectMsg<ChildrenAccepted>();

        var started = actions.ReceiveN(2).Cast<ExecuteAction>().Select(e => (e.ActionId, e.Attempt)).ToList();
        Assert.Equal(new[] { ("r-queued/env.leaf#0", 2), ("r-queued/env.leaf#1", 2) }, started);
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        restarted.Tell(new RunActor.GetRecoveryStats("r-queued"));
        Assert.Equal((2, 2), ExpectMsg<RunActor.RecoveryStats>() is var stats ? (stats.InFlight, stats.Queued) : default);
    }

    [Fact]
    public void A_run_recovers_from_its_snapshot_and_the_entries_after_it()
    {
        var actions = CreateTestProbe();
        var shard = CreateTestProbe();
        var parent = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { SnapshotAfterEntries = 20 });
        var run = StartedRun("r-snap", actions, shard, settings);
        for (var i = 0; i < 30; i++)
        {
            run.Tell(new StartChildren("r-snap", "r-snap", [Call($"r-snap/env.leaf#{i}", $"{i}")], parent.Ref));
            ExpectMsg<ChildrenAccepted>();
            actions.ExpectMsg<ExecuteAction>();
            run.Tell(new AttemptFinished("r-snap", $"r-snap/env.leaf#{i}", 1, OutcomeKind.Succeeded, $"{i}", null, false));
            parent.ExpectMsg<ChildResults>();
        }
        Kill(run);

        var restarted = StartRun("r-snap", actions, shard, settings: settings);
        actions.ExpectMsg<ExecuteAction>(); // the root again
        restarted.Tell(new RunActor.GetRecoveryStats("r-snap"));
        var replayed = ExpectMsg<RunActor.RecoveryStats>().EntriesReplayed;
        Assert.InRange(replayed, 0, 39); // 62 entries were written; a snapshot came at 40 or later
        restarted.Tell(new GetRunSummary("r-snap"));
        var summary = ExpectMsg<RunSummaryReply>().Summary!;
        Assert.Equal((31, 30), (summary.TotalActions, summary.Counts[ActionStatus.Succeeded]));
        restarted.Tell(new ListActions("r-snap", new ActionQuery(Status: ActionStatus.Succeeded, Offset: 29, Limit: 5)));
        var page = ExpectMsg<ActionPageReply>().Page!;
        Assert.Equal((30, "r-snap/env.leaf#29"), (page.Total, page.Actions.Single().ActionId));
    }

    private static ChildCall Call(string id, string input, CallOptions? options = null) =>
        new(id, id.Split('/')[^1].Split('#')[0], null, input, options ?? NoRetries);
}
