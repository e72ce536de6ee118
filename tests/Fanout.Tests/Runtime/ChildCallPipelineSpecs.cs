using Akka.Streams;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Tests.Actors;

namespace Fanout.Tests.Runtime;

/// <summary>A parent's child calls reach its run however long the run takes to acknowledge them: a stall pauses the parent.</summary>
public sealed class ChildCallPipelineSpecs() : TestKit(ActorSpecConfig.Hocon)
{
    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);

    private (ActionContext Context, CancellationTokenSource Attempt) ParentAttempt(Akka.Actor.IActorRef runRegion)
    {
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions()) with { ChildCallAckTimeout = TimeSpan.FromMilliseconds(300) };
        var attempt = new CancellationTokenSource();
        var replyTo = CreateTestProbe().Ref;
        var context = new ActionContext("r", "r", 1, Sys.Materializer(), 1 << 20,
            c => ChildCallPipeline.Start(c, runRegion, replyTo, settings), attempt.Token);
        return (context, attempt);
    }

    [Fact]
    public async Task A_batch_the_run_does_not_acknowledge_is_sent_again_until_it_does_and_the_call_still_completes()
    {
        var run = CreateTestProbe();
        var (context, _) = ParentAttempt(run.Ref);
        var completion = new ChildCompletion<int>();
        context.StartCall(new ChildCall("r/env.leaf#0", "env.leaf", null, "1", NoRetries), completion);

        // No answer (the run is restarting), then "could not journal it" (its database is down), then accepted.
        Assert.Equal("r/env.leaf#0", run.ExpectMsg<StartChildren>().Calls.Single().ActionId);
        Assert.Equal("r/env.leaf#0", run.ExpectMsg<StartChildren>().Calls.Single().ActionId);
        run.Reply(new RunUnavailable("r", "its journal write failed: connection refused"));
        run.ExpectMsg<StartChildren>();
        run.Reply(new ChildrenAccepted(1));
        run.ExpectNoMsg(TimeSpan.FromMilliseconds(800)); // accepted: not sent again

        // The parent waited instead of failing, and gets its child's outcome.
        Assert.False(completion.Task.IsCompleted, $"the call ended early: {completion.Task.Exception?.InnerException?.Message}");
        context.Deliver(new ChildOutcome("r/env.leaf#0", "env.leaf", OutcomeKind.Succeeded, "7", null, 1));
        Assert.Equal(7, await completion.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_parent_whose_attempt_ends_stops_sending()
    {
        var run = CreateTestProbe();
        var (context, attempt) = ParentAttempt(run.Ref);
        var completion = new ChildCompletion<int>();
        context.StartCall(new ChildCall("r/env.leaf#0", "env.leaf", null, "1", NoRetries), completion);
        run.ExpectMsg<StartChildren>();

        attempt.Cancel();

        run.ExpectNoMsg(TimeSpan.FromSeconds(1));
        var failure = Assert.Throws<AggregateException>(() => completion.Task.Wait(TimeSpan.FromSeconds(5)));
        Assert.IsType<FanoutException>(failure.InnerException);
    }
}
