using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Streams;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Runtime.Execution;

namespace Fanout.Tests.Actors;

/// <summary>
/// The executor's side of delivery over a transport that may lose any message: reports are kept and sent
/// again until acknowledged, an attempt sent again after it ended is answered with its report instead of
/// running twice, leases name what it holds, children's outcomes are acknowledged, and a run that
/// re-attaches hears the kept reports before the attempts held.
/// </summary>
public sealed class ExecutorDeliverySpecs() : TestKit(ActorSpecConfig.Hocon)
{
    private static readonly TaskEnvironment Env = new("delivery_spec");
    private static readonly ConcurrentDictionary<int, int> Runs = new();
    private static readonly ConcurrentDictionary<int, TaskCompletionSource> Gates = new();

    private static readonly TaskDefinition<int, int> Counted = Env.Task("counted", (int x) =>
    {
        Runs.AddOrUpdate(x, 1, (_, n) => n + 1);
        return Task.FromResult(x + 1);
    });

    private static readonly TaskDefinition<int, int> Gated = Env.Task("gated", async (int x, CancellationToken ct) =>
    {
        await Gates.GetOrAdd(x, _ => new TaskCompletionSource()).Task.WaitAsync(ct);
        return x;
    });

    private (IActorRef Executor, TestProbe Runs) StartExecutor(TimeSpan lease, TimeSpan resend, TimeSpan? receipts = null)
    {
        _ = (Counted, Gated);
        var runs = CreateTestProbe();
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions()) with
        {
            LeaseInterval = lease, ResendAfter = resend, MaxResendInterval = resend * 2,
            // Report resends ride on the receipt tick: as often as the resend wait unless a spec is about receipts.
            ReceiptInterval = receipts ?? TimeSpan.FromMilliseconds(Math.Min(resend.TotalMilliseconds / 3, 60_000)),
        };
        var runRef = runs.Ref;
        return (Sys.ActorOf(ActionExecutor.Props(() => runRef, settings, Sys.Materializer())), runs);
    }

    private static ExecuteAction Execute(string actionId, string task, int input) =>
        new(actionId, "d1", $"delivery_spec.{task}", $"{input}", 1, 0);

    [Fact]
    public void A_report_is_sent_again_until_its_run_acknowledges_it()
    {
        var (executor, runs) = StartExecutor(lease: TimeSpan.FromMilliseconds(100), resend: TimeSpan.FromMilliseconds(300));
        executor.Tell(Execute("d1/a#0", "counted", 100));

        var first = runs.ExpectMsg<AttemptsFinished>().Attempts.Single();
        var again = runs.FishForMessage<AttemptsFinished>(_ => true, TimeSpan.FromSeconds(5)).Attempts.Single();
        Assert.Equal(first, again);

        executor.Tell(new ReportsAcknowledged("d1", [new AttemptKey("d1/a#0", 1)]));
        runs.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m as AttemptsFinished); // one that crossed the acknowledgement
        runs.ExpectNoMsg(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, Runs[100]);
    }

    [Fact]
    public void An_attempt_sent_again_after_it_ended_gets_its_kept_report_and_does_not_run_again()
    {
        var (executor, runs) = StartExecutor(lease: TimeSpan.FromHours(1), resend: TimeSpan.FromHours(1));
        executor.Tell(Execute("d1/b#0", "counted", 200));
        var report = runs.ExpectMsg<AttemptsFinished>().Attempts.Single();

        // The run never got that report, so it sends the attempt again: the answer is the report, straight to the run.
        executor.Tell(Execute("d1/b#0", "counted", 200));
        Assert.Equal(report, ExpectMsg<AttemptsFinished>().Attempts.Single());
        Assert.Equal(1, Runs[200]);

        // Once acknowledged it is forgotten: an attempt sent after that is a new delivery and runs.
        executor.Tell(new ReportsAcknowledged("d1", [new AttemptKey("d1/b#0", 1)]));
        executor.Tell(Execute("d1/b#0", "counted", 200));
        runs.ExpectMsg<AttemptsFinished>();
        Assert.Equal(2, Runs[200]);
    }

    [Fact]
    public void Leases_name_the_attempts_held_and_childrens_outcomes_are_acknowledged()
    {
        var (executor, runs) = StartExecutor(lease: TimeSpan.FromMilliseconds(200), resend: TimeSpan.FromHours(1));
        executor.Tell(Execute("d1/c#0", "gated", 300));

        var lease = runs.FishForMessage<AttemptsHeld>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal(("d1", new HeldAttempt("d1/c#0", 1, IsParent: false)), (lease.RunId, lease.Attempts.Single()));

        executor.Tell(new ChildResults("d1/c#0", [new ChildOutcome("d1/c#0/x#0", "x", OutcomeKind.Succeeded, "1", null, 1)]));
        Assert.Equal(new ChildResultsReceived("d1/c#0", ["d1/c#0/x#0"]) is var expected ? expected.ActionIds : null,
            ExpectMsg<ChildResultsReceived>().ActionIds);
        Gates.GetOrAdd(300, _ => new TaskCompletionSource()).SetResult();
    }

    [Fact]
    public void An_attempt_taken_is_confirmed_within_a_receipt_interval_and_again_when_its_run_sends_it_again()
    {
        var (executor, runs) = StartExecutor(lease: TimeSpan.FromHours(1), resend: TimeSpan.FromHours(1), receipts: TimeSpan.FromMilliseconds(100));
        executor.Tell(Execute("d1/e#0", "gated", 500));

        var receipt = runs.ExpectMsg<AttemptsHeld>(TimeSpan.FromSeconds(5));
        Assert.Equal(("d1", new HeldAttempt("d1/e#0", 1, IsParent: false)), (receipt.RunId, receipt.Attempts.Single()));
        runs.ExpectNoMsg(TimeSpan.FromMilliseconds(400)); // once, not at every tick: leases take over from here

        // The run heard nothing (the receipt was lost) and sends the attempt again: it is confirmed again, not run twice.
        executor.Tell(Execute("d1/e#0", "gated", 500));
        Assert.Equal(new HeldAttempt("d1/e#0", 1, IsParent: false), runs.ExpectMsg<AttemptsHeld>(TimeSpan.FromSeconds(5)).Attempts.Single());
        Gates.GetOrAdd(500, _ => new TaskCompletionSource()).SetResult();
        Assert.Equal(OutcomeKind.Succeeded, runs.ExpectMsg<AttemptsFinished>().Attempts.Single().Kind);
    }

    [Fact]
    public void A_run_that_re_attaches_hears_the_reports_kept_for_it_before_the_attempts_held()
    {
        var (executor, runs) = StartExecutor(lease: TimeSpan.FromHours(1), resend: TimeSpan.FromHours(1));
        executor.Tell(Execute("d1/d#0", "counted", 400));
        executor.Tell(Execute("d1/d#1", "gated", 401));
        var ended = runs.ExpectMsg<AttemptsFinished>().Attempts.Single();

        executor.Tell(new ReportAttempts("d1"));

        Assert.Equal(ended, ExpectMsg<AttemptsFinished>().Attempts.Single());
        Assert.Equal(new HeldAttempt("d1/d#1", 1, IsParent: false), ExpectMsg<HeldAttempts>().Attempts.Single());
        Gates.GetOrAdd(401, _ => new TaskCompletionSource()).SetResult();
    }
}
