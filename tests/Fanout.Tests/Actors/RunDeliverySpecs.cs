using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Actors;

/// <summary>
/// The run's side of delivery over a transport that may lose any message: reports are acknowledged once
/// journaled, an attempt nobody speaks of is sent again (a lease holds that off), a child's outcome is sent
/// until its parent's executor acknowledges it, leases for attempts the run no longer wants drop them, and
/// a run that moved learns the outcomes its executors kept instead of running those actions again.
/// </summary>
public sealed class RunDeliverySpecs() : TestKit(ActorSpecConfig.Hocon)
{
    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);

    /// <summary>Times short enough for a spec; nothing else differs from the defaults.</summary>
    private static RuntimeSettings Fast(int lostAttemptRetries = 3) =>
        RuntimeSettings.From(new FanoutRuntimeOptions { LostAttemptRetries = lostAttemptRetries }) with
        {
            LeaseInterval = TimeSpan.FromMilliseconds(200),
            AttemptReceiptTimeout = TimeSpan.FromMilliseconds(300),
            AttemptLeaseTimeout = TimeSpan.FromMilliseconds(600),
            ResendAfter = TimeSpan.FromMilliseconds(300),
            MaxResendInterval = TimeSpan.FromSeconds(1),
        };

    private (IActorRef Run, IActorRef Executor) StartRun(string runId, TestProbe actions, RuntimeSettings settings, TestProbe? shard = null,
        IActorRef? executor = null)
    {
        executor ??= Sys.ActorOf(ExecutorStub.Props(actions.Ref));
        var directory = Sys.ActorOf(StaticDirectory.Props(StaticDirectory.Entry(executor)));
        var props = Props.Create(() => new RunActor(runId, directory, settings));
        var shardRef = (shard ?? CreateTestProbe()).Ref;
        return (Sys.ActorOf(Props.Create(() => new ParentProxy(props, runId, shardRef, null, null))), executor);
    }

    private (IActorRef Run, IActorRef Executor) StartedRun(string runId, TestProbe actions, RuntimeSettings settings, TestProbe? shard = null)
    {
        var (run, executor) = StartRun(runId, actions, settings, shard);
        run.Tell(new StartRun(runId, "env.main", "0", NoRetries));
        ExpectMsg(new RunAccepted(runId));
        Assert.Equal((runId, 1), actions.ExpectMsg<ExecuteAction>() is var root ? (root.ActionId, root.Attempt) : default);
        return (run, executor);
    }

    private static ChildCall Call(string id, string input) => new(id, id.Split('/')[^1].Split('#')[0], null, input, NoRetries);

    [Fact]
    public void Reports_are_acknowledged_once_journaled_and_a_report_that_comes_again_is_acknowledged_again()
    {
        var actions = CreateTestProbe();
        var (run, _) = StartedRun("d-ack", actions, RuntimeSettings.From(new FanoutRuntimeOptions()));
        var report = new AttemptsFinished("d-ack", [new AttemptFinished("d-ack", "d-ack", 1, OutcomeKind.Succeeded, "5", null, false)]);

        run.Tell(report);
        Assert.Equal(new AttemptKey("d-ack", 1), ExpectMsg<ReportsAcknowledged>().Reports.Single());
        run.Tell(new AwaitRun("d-ack", 5000));
        Assert.Equal((RunStatus.Succeeded, "5"), ExpectMsg<RunOutcome>() is var o ? (o.Status, o.ResultJson) : default);

        // Its acknowledgement was lost, so the executor sends it again: nothing changes, and it is acknowledged.
        run.Tell(report);
        Assert.Equal(new AttemptKey("d-ack", 1), ExpectMsg<ReportsAcknowledged>().Reports.Single());
    }

    [Fact]
    public void An_attempt_nobody_speaks_of_is_sent_again_as_the_same_attempt_until_a_lease_names_it()
    {
        var actions = CreateTestProbe();
        var (run, executor) = StartedRun("d-lost", actions, Fast());

        // The first send was lost (no report, no lease): the same attempt goes again, not a new one.
        var again = actions.ExpectMsg<ExecuteAction>(TimeSpan.FromSeconds(5));
        Assert.Equal(("d-lost", 1), (again.ActionId, again.Attempt));

        // Now the executor holds it and says so every lease interval: the run waits, however long it runs.
        for (var lease = 0; lease < 8; lease++)
        {
            run.Tell(new AttemptsHeld("d-lost", [new HeldAttempt("d-lost", 1, IsParent: false)]), executor);
            actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }
        run.Tell(new GetRunSummary("d-lost"));
        Assert.Equal(1, ExpectMsg<RunSummaryReply>().Summary!.Counts[ActionStatus.Running]);
    }

    [Fact]
    public void An_attempt_its_executor_confirmed_is_sent_again_only_after_the_lease_timeout()
    {
        var actions = CreateTestProbe();
        // Receipt timeout long enough for the receipt below to come first on a loaded machine: CI once stalled
        // this run actor for more than a second between the send and the receipt, with a 1 s timeout.
        var (run, executor) = StartedRun("d-confirmed", actions, Fast() with
        {
            AttemptReceiptTimeout = TimeSpan.FromSeconds(3), AttemptLeaseTimeout = TimeSpan.FromSeconds(7),
            MaxResendInterval = TimeSpan.FromSeconds(20),
        });

        // The executor's receipt: from now on the run counts the (longer) lease timeout, not the receipt timeout.
        run.Tell(new AttemptsHeld("d-confirmed", [new HeldAttempt("d-confirmed", 1, IsParent: false)]), executor);
        actions.ExpectNoMsg(TimeSpan.FromSeconds(4.5));

        // No lease since (the executor lost it in a restart, say): the same attempt goes again.
        var again = actions.ExpectMsg<ExecuteAction>(TimeSpan.FromSeconds(15));
        Assert.Equal(("d-confirmed", 1), (again.ActionId, again.Attempt));
    }

    [Fact]
    public void A_child_outcome_is_sent_again_until_the_parent_executor_acknowledges_it()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var (run, executor) = StartedRun("d-kids", actions, Fast());
        run.Tell(new StartChildren("d-kids", "d-kids", [Call("d-kids/env.leaf#0", "1")], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ExpectMsg<ExecuteAction>();
        run.Tell(new AttemptsFinished("d-kids", [new AttemptFinished("d-kids", "d-kids/env.leaf#0", 1, OutcomeKind.Succeeded, "7", null, false)]), executor);

        var first = parent.ExpectMsg<ChildResults>().Outcomes.Single();
        var second = parent.ExpectMsg<ChildResults>(TimeSpan.FromSeconds(5)).Outcomes.Single(); // not acknowledged: sent again
        Assert.Equal(first, second);

        run.Tell(new ChildResultsReceived("d-kids", ["d-kids/env.leaf#0"]), parent.Ref);
        parent.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m as ChildResults); // a send that crossed the acknowledgement
        parent.ExpectNoMsg(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_lease_for_an_attempt_the_run_no_longer_wants_drops_it_on_its_executor()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var (run, executor) = StartedRun("d-stale", actions, RuntimeSettings.From(new FanoutRuntimeOptions()));
        run.Tell(new StartChildren("d-stale", "d-stale", [Call("d-stale/env.leaf#0", "1")], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ExpectMsg<ExecuteAction>();

        // An attempt the run never made, and an older attempt of one it did: dropped without a report.
        run.Tell(new AttemptsHeld("d-stale", [new HeldAttempt("d-stale/env.ghost#0", 1, false), new HeldAttempt("d-stale/env.leaf#0", 0, false)]), executor);
        var dropped = actions.ReceiveN(2).Cast<AbandonAttempt>().OrderBy(a => a.ActionId).ToList();
        Assert.Equal(new[] { new AbandonAttempt("d-stale/env.ghost#0", 1), new AbandonAttempt("d-stale/env.leaf#0", 0) }, dropped);

        // After the run is cancelled, a lease naming the leaf (its CancelAction was lost, say) cancels it again.
        run.Tell(new CancelRun("d-stale", "test"));
        ExpectMsg<RunOutcome>();
        actions.FishForMessage(m => m is CancelAction { ActionId: "d-stale/env.leaf#0" });
        run.Tell(new AttemptsHeld("d-stale", [new HeldAttempt("d-stale/env.leaf#0", 1, false)]), executor);
        actions.FishForMessage(m => m is CancelAction { ActionId: "d-stale/env.leaf#0" });
    }

    [Fact]
    public void An_earlier_attempt_found_alive_after_a_later_one_started_is_not_counted_as_lost()
    {
        // One lost attempt allowed. The run restarts twice; each time its executor's answer is late, so it
        // starts its root again before hearing of the attempt still alive. A lease then names that attempt.
        var actions = CreateTestProbe();
        var shard = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { LostAttemptRetries = 1 });
        var (run, executor) = StartedRun("d-late", actions, settings, shard);
        for (var restart = 1; restart <= 2; restart++)
        {
            Watch(run);
            Sys.Stop(run);
            ExpectTerminated(run);
            (run, _) = StartRun("d-late", actions, settings, shard, executor);
            Assert.Equal(("d-late", restart + 1), actions.ExpectMsg<ExecuteAction>() is var root ? (root.ActionId, root.Attempt) : default);

            run.Tell(new AttemptsHeld("d-late", [new HeldAttempt("d-late", restart, IsParent: true)]), executor);
            Assert.Equal(new AbandonAttempt("d-late", restart), actions.ExpectMsg<AbandonAttempt>());
        }

        // Two restarts, no attempt lost: the root still runs (counted as lost, the second would have failed it).
        run.Tell(new GetRunSummary("d-late"));
        var summary = ExpectMsg<RunSummaryReply>().Summary!;
        Assert.Equal((RunStatus.Running, 1), (summary.Status, summary.Counts[ActionStatus.Running]));
    }

    [Fact]
    public void A_run_that_moved_takes_the_reports_its_executors_kept_and_sets_its_old_parent_aside_without_counting_it_lost()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var shard = CreateTestProbe();
        // No lost attempt allowed: the root may run again only if its set-aside attempt does not count as lost.
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { LostAttemptRetries = 0 });
        var (run, _) = StartedRun("d-moved", actions, settings, shard);
        run.Tell(new StartChildren("d-moved", "d-moved", [Call("d-moved/env.leaf#0", "1"), Call("d-moved/env.leaf#1", "2")], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ReceiveN(2);
        Watch(run);
        Sys.Stop(run);
        ExpectTerminated(run);

        // Meanwhile leaf#1 ended where it ran, but its report never reached the run: its executor kept it.
        var kept = new AttemptFinished("d-moved", "d-moved/env.leaf#1", 1, OutcomeKind.Succeeded, "200", null, false);
        var stub = Sys.ActorOf(ExecutorStub.WithKeptReports(actions.Ref, [kept],
            new HeldAttempt("d-moved", 1, IsParent: true), new HeldAttempt("d-moved/env.leaf#0", 1, IsParent: false)));
        var (moved, _) = StartRun("d-moved", actions, settings, shard, stub);

        // The kept report is acknowledged once journaled, the old parent dropped, and the root runs again.
        var answers = actions.ReceiveN(3);
        Assert.Equal(new AttemptKey("d-moved/env.leaf#1", 1), answers.OfType<ReportsAcknowledged>().Single().Reports.Single());
        Assert.Equal(new AbandonAttempt("d-moved", 1), answers.OfType<AbandonAttempt>().Single());
        Assert.Equal(("d-moved", 2), answers.OfType<ExecuteAction>().Single() is var root ? (root.ActionId, root.Attempt) : default);

        var newParent = CreateTestProbe();
        moved.Tell(new StartChildren("d-moved", "d-moved", [Call("d-moved/env.leaf#0", "1"), Call("d-moved/env.leaf#1", "2")], newParent.Ref));
        ExpectMsg<ChildrenAccepted>();
        Assert.Equal(("d-moved/env.leaf#1", "200"), newParent.ExpectMsg<ChildResults>().Outcomes.Single() is var o ? (o.ActionId, o.ResultJson) : default);
        // leaf#0 was adopted where it runs and leaf#1 had ended: neither starts again.
        Assert.Empty(actions.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m).OfType<ExecuteAction>());
        moved.Tell(new ListActions("d-moved", new ActionQuery(Limit: 10)));
        var attempts = ExpectMsg<ActionPageReply>().Page!.Actions.ToDictionary(a => a.ActionId, a => a.Attempts);
        Assert.Equal((2, 1, 1), (attempts["d-moved"], attempts["d-moved/env.leaf#0"], attempts["d-moved/env.leaf#1"]));
    }
    [Fact]
    public void A_failure_report_that_comes_again_while_its_retry_waits_is_not_taken_for_the_retry_failing()
    {
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var (run, executor) = StartedRun("d-dup-fail", actions, RuntimeSettings.From(new FanoutRuntimeOptions()));
        // One retry, a minute away: the report comes again (its acknowledgement was lost) while the retry waits.
        var oneRetry = new ChildCall("d-dup-fail/env.leaf#0", "env.leaf", null, "1", new CallOptions(1, 0, 60_000, 60_000));
        run.Tell(new StartChildren("d-dup-fail", "d-dup-fail", [oneRetry], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ExpectMsg<ExecuteAction>();
        var failed = new AttemptsFinished("d-dup-fail", [new AttemptFinished("d-dup-fail", oneRetry.ActionId, 1, OutcomeKind.Failed, null,
            new ErrorInfo("System.InvalidOperationException", "boom", null), Retryable: true)]);

        run.Tell(failed, executor);
        actions.ExpectMsg<ReportsAcknowledged>();
        run.Tell(failed, executor);
        Assert.Equal(new AttemptKey(oneRetry.ActionId, 1), actions.ExpectMsg<ReportsAcknowledged>().Reports.Single());

        // The one failure used up nothing more: the action still waits for its retry, and the parent hears nothing.
        run.Tell(new GetRunSummary("d-dup-fail"));
        var counts = ExpectMsg<RunSummaryReply>().Summary!.Counts;
        Assert.Equal((1, false), (counts.GetValueOrDefault(ActionStatus.Retrying), counts.ContainsKey(ActionStatus.Failed)));
        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_run_that_moved_while_a_retry_waited_runs_the_retry_even_when_the_failure_report_comes_again()
    {
        // Found by the chaos harness: a child whose first attempt's failure was journaled (its retry waiting)
        // when the run's node was killed; its executor, never acknowledged, gave the report again to the moved
        // run, which took it for the retry's failure and failed the child having run it once.
        var actions = CreateTestProbe();
        var parent = CreateTestProbe();
        var shard = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions());
        var (run, executor) = StartedRun("d-dup-moved", actions, settings, shard);
        var oneRetry = new ChildCall("d-dup-moved/env.leaf#0", "env.leaf", null, "1", new CallOptions(1, 0, 60_000, 60_000));
        run.Tell(new StartChildren("d-dup-moved", "d-dup-moved", [oneRetry], parent.Ref));
        ExpectMsg<ChildrenAccepted>();
        actions.ExpectMsg<ExecuteAction>();
        var failure = new AttemptFinished("d-dup-moved", oneRetry.ActionId, 1, OutcomeKind.Failed, null,
            new ErrorInfo("System.InvalidOperationException", "boom", null), Retryable: true);
        run.Tell(new AttemptsFinished("d-dup-moved", [failure]), executor);
        actions.ExpectMsg<ReportsAcknowledged>();
        Watch(run);
        Sys.Stop(run);
        ExpectTerminated(run);

        var stub = Sys.ActorOf(ExecutorStub.WithKeptReports(actions.Ref, [failure], new HeldAttempt("d-dup-moved", 1, IsParent: true)));
        var (moved, _) = StartRun("d-dup-moved", actions, settings, shard, stub);
        var answers = actions.ReceiveN(3);
        Assert.Single(answers.OfType<ReportsAcknowledged>());
        Assert.Equal(("d-dup-moved", 2), answers.OfType<ExecuteAction>().Single() is var root ? (root.ActionId, root.Attempt) : default);

        // The parent runs again and calls the child: its retry starts, as attempt 2.
        var newParent = CreateTestProbe();
        moved.Tell(new StartChildren("d-dup-moved", "d-dup-moved", [oneRetry], newParent.Ref));
        ExpectMsg<ChildrenAccepted>();
        Assert.Equal((oneRetry.ActionId, 2), actions.ExpectMsg<ExecuteAction>() is var retry ? (retry.ActionId, retry.Attempt) : default);
        newParent.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}
