using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Actors;

/// <summary>
/// The run when its journal rejects or fails a write: a rejected write is written again and the run goes on
/// with its facts in their order; the callers of a failed write hear so at once, and the run that sharding
/// starts again has exactly what was durable.
/// </summary>
public sealed class JournalFailureSpecs(Xunit.Abstractions.ITestOutputHelper output) : TestKit(FaultyJournal.Hocon + ActorSpecConfig.Hocon.Replace(
    "akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\"", "", StringComparison.Ordinal), output)
{
    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);

    private IActorRef StartRun(string runId, TestProbe actions)
    {
        var directory = Sys.ActorOf(StaticDirectory.Props(StaticDirectory.Entry(Sys.ActorOf(ExecutorStub.Props(actions.Ref)))));
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions());
        var props = Props.Create(() => new RunActor(runId, directory, settings));
        return Sys.ActorOf(Props.Create(() => new ParentProxy(props, runId, CreateTestProbe().Ref, null, null)));
    }

    private IActorRef EntityOf(IActorRef proxy, string runId) =>
        Sys.ActorSelection(proxy.Path / runId).ResolveOne(TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    [Fact]
    public void A_rejected_write_is_written_again_and_the_run_goes_on()
    {
        var actions = CreateTestProbe();
        var run = StartRun("r-rejected", actions);
        FaultyJournal.RejectNextWrites("run-r-rejected", 3);

        run.Tell(new StartRun("r-rejected", "env.main", "0", NoRetries));

        // Accepted and dispatched only once the start is durable: after three rejections and their backoff.
        ExpectMsg(new RunAccepted("r-rejected"));
        Assert.Equal(("r-rejected", 1), actions.ExpectMsg<ExecuteAction>() is var root ? (root.ActionId, root.Attempt) : default);
        Assert.Equal(3, FaultyJournal.Rejected("run-r-rejected"));

        // The run is not frozen: its next write goes through as usual.
        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-rejected", "r-rejected", [Call("r-rejected/env.leaf#0", "1")], parent.Ref));
        ExpectMsg(new ChildrenAccepted(1));
        Assert.Equal("r-rejected/env.leaf#0", actions.ExpectMsg<ExecuteAction>().ActionId);
    }

    [Fact]
    public void Facts_recorded_while_a_rejected_write_waits_are_journaled_after_it_in_their_order()
    {
        var actions = CreateTestProbe();
        var run = StartRun("r-order", actions);
        run.Tell(new StartRun("r-order", "env.main", "0", NoRetries));
        ExpectMsg(new RunAccepted("r-order"));
        actions.ExpectMsg<ExecuteAction>();

        // The write of the calls is rejected twice; meanwhile the run is cancelled, which cancels those calls.
        FaultyJournal.RejectNextWrites("run-r-order", 2);
        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-order", "r-order", [Call("r-order/env.leaf#0", "1"), Call("r-order/env.leaf#1", "2")], parent.Ref));
        run.Tell(new CancelRun("r-order", "spec"));
        ExpectMsg(new ChildrenAccepted(2));
        Assert.Equal(RunStatus.Cancelled, ExpectMsg<RunOutcome>().Status);
        Assert.Equal(2, parent.ExpectMsg<ChildResults>().Outcomes.Count(o => o.Kind == OutcomeKind.Cancelled));

        // Recovered from the journal, the calls come before their cancellation: three actions, all cancelled.
        var entity = EntityOf(run, "r-order");
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);
        var recovered = StartRun("r-order", actions);
        recovered.Tell(new GetRunSummary("r-order"));
        var summary = ExpectMsg<RunSummaryReply>().Summary!;
        Assert.Equal((RunStatus.Cancelled, 3, 3), (summary.Status, summary.TotalActions, summary.Counts.GetValueOrDefault(ActionStatus.Cancelled)));
        Assert.Equal(2, FaultyJournal.Rejected("run-r-order"));
    }

    [Fact]
    public void Callers_of_a_failed_write_hear_at_once_and_the_restarted_run_has_what_was_durable()
    {
        var actions = CreateTestProbe();
        var run = StartRun("r-failed", actions);
        run.Tell(new StartRun("r-failed", "env.main", "0", NoRetries));
        ExpectMsg(new RunAccepted("r-failed"));
        actions.ExpectMsg<ExecuteAction>();
        var entity = EntityOf(run, "r-failed");
        Watch(entity);

        FaultyJournal.FailNextWrites("run-r-failed", 1);
        var parent = CreateTestProbe();
        run.Tell(new StartChildren("r-failed", "r-failed", [Call("r-failed/env.leaf#0", "1")], parent.Ref));

        // The parent's pipeline hears that the run could not journal its calls, and the run stops.
        var unavailable = ExpectMsg<RunUnavailable>();
        Assert.Equal("r-failed", unavailable.RunId);
        Assert.Contains("injected journal failure", unavailable.Reason);
        ExpectTerminated(entity);
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the call that was not durable never ran

        // Started again (as sharding does), it runs its root again; the parent's resent call is taken then.
        var restarted = StartRun("r-failed", actions);
        Assert.Equal(("r-failed", 2), actions.ExpectMsg<ExecuteAction>() is var root ? (root.ActionId, root.Attempt) : default);
        restarted.Tell(new StartChildren("r-failed", "r-failed", [Call("r-failed/env.leaf#0", "1")], parent.Ref));
        ExpectMsg(new ChildrenAccepted(1));
        Assert.Equal(("r-failed/env.leaf#0", 1), actions.ExpectMsg<ExecuteAction>() is var leaf ? (leaf.ActionId, leaf.Attempt) : default);
    }

    private static ChildCall Call(string id, string input) =>
        new(id, id.Split('/')[^1].Split('#')[0], null, input, NoRetries);
}
