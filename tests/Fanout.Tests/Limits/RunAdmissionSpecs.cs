using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Tests.Actors;

namespace Fanout.Tests.Limits;

/// <summary>
/// MaxRunsInFlight where runs live: a node's run entities share one count, a new start beyond it is refused
/// with nothing journaled, and a run that resumes after its process died is counted but never refused.
/// </summary>
public sealed class RunAdmissionSpecs : TestKit
{
    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);

    public RunAdmissionSpecs() : base(ActorSpecConfig.Hocon) => IgnoreMessages<ReportsAcknowledged>();

    private IActorRef RunEntity(string runId, TestProbe actions, TestProbe shard, RuntimeSettings settings)
    {
        var directory = Sys.ActorOf(StaticDirectory.Props(StaticDirectory.Entry(Sys.ActorOf(ExecutorStub.Props(actions.Ref)))));
        var props = Props.Create(() => new RunActor(runId, directory, settings));
        return Sys.ActorOf(Props.Create(() => new ParentProxy(props, runId, shard.Ref, null, null)));
    }

    private void Kill(IActorRef run)
    {
        Watch(run);
        Sys.Stop(run);
        ExpectTerminated(run);
    }

    private static RuntimeSettings OneRunPerNode() => RuntimeSettings.From(new FanoutRuntimeOptions { MaxRunsInFlight = 1 });

    [Fact]
    public void A_new_run_beyond_the_limit_is_refused_with_nothing_journaled_and_admitted_once_a_run_ended()
    {
        var settings = OneRunPerNode();
        var actions = CreateTestProbe();
        var first = RunEntity("r-first", actions, CreateTestProbe(), settings);
        first.Tell(new StartRun("r-first", "env.main", "1", NoRetries));
        ExpectMsg(new RunAccepted("r-first"));
        actions.ExpectMsg<ExecuteAction>();

        var secondShard = CreateTestProbe();
        var second = RunEntity("r-second", actions, secondShard, settings);
        second.Tell(new StartRun("r-second", "env.main", "2", NoRetries));
        ExpectMsg(new RunRefused("r-second", 1));
        secondShard.ExpectMsg<Passivate>(); // the refused, empty entity goes away
        actions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        second.Tell(new GetRunSummary("r-second"));
        Assert.Null(ExpectMsg<RunSummaryReply>().Summary); // nothing was journaled for it
        Assert.Equal(1, settings.RunsInFlight.Count);

        first.Tell(new AttemptFinished("r-first", "r-first", 1, OutcomeKind.Succeeded, "1", null, false));
        AwaitAssert(() => Assert.Equal(0, settings.RunsInFlight.Count), TimeSpan.FromSeconds(10));
        second.Tell(new StartRun("r-second", "env.main", "2", NoRetries));
        ExpectMsg(new RunAccepted("r-second"));
        Assert.Equal("r-second", actions.ExpectMsg<ExecuteAction>().ActionId);
    }

    [Fact]
    public void A_start_repeated_for_a_run_that_exists_is_never_refused()
    {
        var settings = OneRunPerNode();
        var actions = CreateTestProbe();
        var run = RunEntity("r-again", actions, CreateTestProbe(), settings);
        run.Tell(new StartRun("r-again", "env.main", "1", NoRetries));
        ExpectMsg(new RunAccepted("r-again"));

        run.Tell(new StartRun("r-again", "env.main", "1", NoRetries));
        ExpectMsg(new RunAccepted("r-again"));
        Assert.Equal(1, settings.RunsInFlight.Count);
    }

    [Fact]
    public void A_run_that_resumes_after_its_process_died_is_counted_but_never_refused()
    {
        var settings = OneRunPerNode();
        var actions = CreateTestProbe();
        var shard = CreateTestProbe();
        var resumed = RunEntity("r-resumed", actions, shard, settings);
        resumed.Tell(new StartRun("r-resumed", "env.main", "1", NoRetries));
        ExpectMsg(new RunAccepted("r-resumed"));
        actions.ExpectMsg<ExecuteAction>();
        Kill(resumed);
        AwaitAssert(() => Assert.Equal(0, settings.RunsInFlight.Count), TimeSpan.FromSeconds(10)); // a stopped entity leaves the count

        var other = RunEntity("r-other", actions, CreateTestProbe(), settings);
        other.Tell(new StartRun("r-other", "env.main", "2", NoRetries));
        ExpectMsg(new RunAccepted("r-other"));
        actions.ExpectMsg<ExecuteAction>();

        // The node is full, yet the run that was going resumes (remember-entities restarts it, unasked).
        RunEntity("r-resumed", actions, shard, settings);
        Assert.Equal("r-resumed", actions.ExpectMsg<ExecuteAction>(TimeSpan.FromSeconds(15)).ActionId);
        Assert.Equal(2, settings.RunsInFlight.Count);
    }
}
