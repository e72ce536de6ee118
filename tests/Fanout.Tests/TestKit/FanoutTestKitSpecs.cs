extern alias UsersTestKit;

using UsersTestKit::Fanout.TestKit;
using static Fanout.Tests.UserTestKit.TestKitSpecTasks;
using Xunit.Abstractions;

namespace Fanout.Tests.UserTestKit;

/// <summary>The xunit base class: the Akka.NET TestKit runs on the test runtime's actor system, and probes follow attempts.</summary>
public sealed class FanoutTestKitSpecs(ITestOutputHelper output) : FanoutTestKit(output)
{
    [Fact]
    public void The_TestKit_runs_on_the_runtimes_actor_system()
    {
        Assert.Same(TestRuntime.ActorSystem, Sys);
        Assert.Same(TestRuntime.Clock, Clock);
    }

    [Fact]
    public async Task A_probe_sees_each_attempt_start_and_end_with_its_outcome()
    {
        var probe = CreateTestProbe();
        SubscribeToAttempts(probe);
        Stub(FlakyChild).FailsAttempts(1, (x, attempt) => new TimeoutException($"attempt {attempt}")).Returns(x => x);

        var (_, result) = await RunToEndAsync(FlakyParent, 3);

        Assert.Equal(3, result);
        Assert.Equal("testkit_specs.flaky_parent", probe.ExpectMsg<AttemptStarted>().TaskName);
        var first = probe.ExpectMsg<AttemptStarted>();
        Assert.Equal(("testkit_specs.flaky_child", 1), (first.TaskName, first.Attempt));
        var failed = probe.ExpectMsg<AttemptEnded>();
        Assert.Equal((first.ActionId, AttemptOutcome.Failed, "System.TimeoutException", "attempt 1"),
            (failed.ActionId, failed.Outcome, failed.ErrorType, failed.ErrorMessage));
        var retry = probe.ExpectMsg<AttemptStarted>();
        Assert.Equal((first.ActionId, 2), (retry.ActionId, retry.Attempt));
        Assert.Equal(AttemptOutcome.Succeeded, probe.ExpectMsg<AttemptEnded>(e => e.ActionId == first.ActionId).Outcome);
        Assert.Equal("testkit_specs.flaky_parent", probe.ExpectMsg<AttemptEnded>().TaskName);
    }
}
