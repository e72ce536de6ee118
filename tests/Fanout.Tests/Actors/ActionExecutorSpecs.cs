using Akka.Actor;
using Akka.Streams;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Runtime.Execution;

namespace Fanout.Tests.Actors;

/// <summary>The executor runs task bodies within its slots and reports each attempt's outcome to its run.</summary>
public sealed class ActionExecutorSpecs() : TestKit(ActorSpecConfig.Hocon)
{
    private static readonly TaskEnvironment Env = new("executor_spec");
    private static readonly TaskDefinition<int, int> Triple = Env.Task("triple", (int x) => Task.FromResult(x * 3));

    // Each blocker body waits on its own gate, so a spec decides which attempts end and when.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> Gates = new();
    private static readonly System.Collections.Concurrent.ConcurrentQueue<int> Started = new();
    private static readonly TaskDefinition<int, int> Blocker = Env.Task("blocker", async (int x, CancellationToken ct) =>
    {
        Started.Enqueue(x);
        await Gates.GetOrAdd(x, _ => new TaskCompletionSource()).Task.WaitAsync(ct);
        return x;
    });

    private (IActorRef Executor, TestProbe Runs) StartExecutor(int slots = 1000, int? maxWaiting = null)
    {
        var runs = CreateTestProbe();
        // Leases, receipts and the resending of unacknowledged reports are DeliverySpecs' subject: kept out of these.
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions { ActionSlots = slots, MaxWaitingActions = maxWaiting }) with
        {
            LeaseInterval = TimeSpan.FromHours(1), ReceiptInterval = TimeSpan.FromHours(1), ResendAfter = TimeSpan.FromHours(1),
        };
        var runRef = runs.Ref;
        return (Sys.ActorOf(ActionExecutor.Props(() => runRef, settings, Sys.Materializer())), runs);
    }

    private static ExecuteAction Execute(string actionId, string task, string input, int attempt = 1) =>
        new(actionId, "r1", $"executor_spec.{task}", input, attempt, 0);

    private AttemptFinished ExpectReport(TestProbe runs) => runs.ExpectMsg<AttemptsFinished>().Attempts.Single();

    [Fact]
    public void Runs_the_task_and_reports_its_result_to_the_run()
    {
        _ = Triple;
        var (executor, runs) = StartExecutor();

        executor.Tell(Execute("r1/a#0", "triple", "14"));

        Assert.Equal(new AttemptFinished("r1", "r1/a#0", 1, OutcomeKind.Succeeded, "42", null, false), ExpectReport(runs));
    }

    [Fact]
    public void Every_ended_attempt_is_reported_once_whether_reports_travel_alone_or_batched()
    {
        _ = Triple;
        var (executor, runs) = StartExecutor();

        for (var i = 0; i < 200; i++) executor.Tell(Execute($"r1/many#{i}", "triple", $"{i}"));

        // Reports that end while the executor is busy share a message (a fan-out's leaves under load); a lone
        // one leaves at once. Either way each attempt is reported exactly once.
        var reports = new List<AttemptFinished>();
        while (reports.Count < 200) reports.AddRange(runs.ExpectMsg<AttemptsFinished>().Attempts);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"r1/many#{i}").Order(), reports.Select(r => r.ActionId).Order());
        Assert.All(reports, r => Assert.Equal(int.Parse(r.ActionId.Split('#')[1]) * 3, int.Parse(r.ResultJson!)));
        runs.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_unknown_task_fails_the_attempt_for_good()
    {
        var (executor, runs) = StartExecutor();

        executor.Tell(Execute("r1/b#0", "missing", "1"));

        var report = ExpectReport(runs);
        Assert.Equal((OutcomeKind.Failed, false), (report.Kind, report.Retryable));
        Assert.Equal("Fanout.UnknownTaskException", report.Error?.Type);
        Assert.Contains("executor_spec.missing", report.Error?.Message);
    }

    [Fact]
    public void Input_that_does_not_deserialize_fails_the_attempt_for_good()
    {
        _ = Triple;
        var (executor, runs) = StartExecutor();

        executor.Tell(Execute("r1/c#0", "triple", "\"text\""));

        var report = ExpectReport(runs);
        Assert.Equal((OutcomeKind.Failed, false), (report.Kind, report.Retryable));
        Assert.Equal("Fanout.InvalidTaskInputException", report.Error?.Type);
    }

    [Fact]
    public void At_most_its_slots_run_at_once_and_the_rest_start_in_arrival_order()
    {
        _ = Blocker;
        var (executor, runs) = StartExecutor(slots: 2);
        foreach (var i in new[] { 101, 102, 103, 104 }) executor.Tell(Execute($"r1/slot#{i}", "blocker", $"{i}"));

        AwaitAssert(() => Assert.Equal(new[] { 101, 102 }, Started.Where(i => i is > 100 and < 200).Order()));
        executor.Tell(ActionExecutor.GetLoad.Instance);
        Assert.Equal(new ActionExecutor.Load(2, 2), ExpectMsg<ActionExecutor.Load>());

        Gates.GetOrAdd(102, _ => new TaskCompletionSource()).SetResult();
        Assert.Equal("102", ExpectReport(runs).ResultJson);
        AwaitAssert(() => Assert.Contains(103, Started));
        Assert.DoesNotContain(104, Started);
        executor.Tell(ActionExecutor.GetLoad.Instance);
        Assert.Equal(new ActionExecutor.Load(2, 1), ExpectMsg<ActionExecutor.Load>());
    }

    [Fact]
    public void Cancel_fires_the_body_token_and_reports_the_attempt_cancelled()
    {
        _ = Blocker;
        var (executor, runs) = StartExecutor();
        executor.Tell(Execute("r1/d#0", "blocker", "201"));
        AwaitAssert(() => Assert.Contains(201, Started));

        executor.Tell(new CancelAction("r1/d#0", "test"));

        Assert.Equal(OutcomeKind.Cancelled, ExpectReport(runs).Kind);
    }

    [Fact]
    public void Cancelling_an_attempt_that_waits_for_a_slot_drops_it_without_running_it()
    {
        _ = Blocker;
        var (executor, runs) = StartExecutor(slots: 1);
        executor.Tell(Execute("r1/e#0", "blocker", "301"));
        executor.Tell(Execute("r1/e#1", "blocker", "302"));
        AwaitAssert(() => Assert.Contains(301, Started));

        executor.Tell(new CancelAction("r1/e#1", "test"));

        var report = ExpectReport(runs);
        Assert.Equal(("r1/e#1", OutcomeKind.Cancelled), (report.ActionId, report.Kind));
        Gates.GetOrAdd(301, _ => new TaskCompletionSource()).SetResult();
        Assert.Equal("r1/e#0", ExpectReport(runs).ActionId);
        Assert.DoesNotContain(302, Started);
    }

    [Fact]
    public void A_later_attempt_supersedes_the_one_running_whose_outcome_is_then_never_reported()
    {
        _ = Blocker;
        var (executor, runs) = StartExecutor();
        executor.Tell(Execute("r1/f#0", "blocker", "401", attempt: 1));
        AwaitAssert(() => Assert.Single(Started, i => i == 401));

        executor.Tell(Execute("r1/f#0", "blocker", "401", attempt: 2));
        AwaitAssert(() => Assert.Equal(2, Started.Count(i => i == 401)));
        executor.Tell(Execute("r1/f#0", "blocker", "401", attempt: 1)); // late duplicate of the old one: ignored
        Gates.GetOrAdd(401, _ => new TaskCompletionSource()).SetResult();

        var report = ExpectReport(runs);
        Assert.Equal((2, OutcomeKind.Succeeded), (report.Attempt, report.Kind));
        runs.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_executor_stopped_with_attempts_open_reports_them_interrupted()
    {
        _ = Blocker;
        var (executor, runs) = StartExecutor(slots: 1);
        executor.Tell(Execute("r1/g#0", "blocker", "501", attempt: 3));
        executor.Tell(Execute("r1/g#1", "blocker", "502"));
        AwaitAssert(() => Assert.Contains(501, Started));

        Sys.Stop(executor);

        var reports = runs.ExpectMsg<AttemptsFinished>().Attempts.OrderBy(r => r.ActionId).ToList();
        Assert.Equal(new[] { ("r1/g#0", 3), ("r1/g#1", 1) }, reports.Select(r => (r.ActionId, r.Attempt)));
        Assert.All(reports, r => Assert.Equal((OutcomeKind.Interrupted, true), (r.Kind, r.Retryable)));
    }

    [Fact]
    public void A_full_queue_hands_new_attempts_straight_back_flagged_full_and_takes_them_again_once_it_has_room()
    {
        _ = Blocker;
        var directory = CreateTestProbe();
        Sys.ActorOf(ExecutorStub.Props(directory.Ref), ExecutorDirectory.Name); // where load reports go
        var (executor, runs) = StartExecutor(slots: 1, maxWaiting: 1);
        executor.Tell(Execute("r1/q#0", "blocker", "601"));
        executor.Tell(Execute("r1/q#1", "blocker", "602"));
        AwaitAssert(() => Assert.Contains(601, Started));

        // One runs, one waits: the third is handed back at once, as interrupted (no retry, not lost), flagged full.
        executor.Tell(Execute("r1/q#2", "blocker", "603", attempt: 2));
        var turnedAway = runs.ExpectMsg<AttemptsFinished>();
        Assert.True(turnedAway.Full, "the report says the executor turned the attempt away because it is full");
        Assert.False(turnedAway.Draining);
        var report = turnedAway.Attempts.Single();
        Assert.Equal(("r1/q#2", 2, OutcomeKind.Interrupted, true), (report.ActionId, report.Attempt, report.Kind, report.Retryable));
        Assert.Equal("Fanout.NodeFull", report.Error?.Type);
        Assert.Contains("queue is full", report.Error?.Message);
        // The one waiting, sent again, is a duplicate, not a new attempt: it is neither turned away nor run twice.
        executor.Tell(Execute("r1/q#1", "blocker", "602"));
        runs.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.DoesNotContain(603, Started);

        // Every directory hears it is full ...
        directory.FishForMessage<ExecutorLoad>(l => l.Full, TimeSpan.FromSeconds(5));

        // ... and, once a body ended and the queue has room, that it has room; a new attempt is taken.
        Gates.GetOrAdd(601, _ => new TaskCompletionSource()).SetResult();
        Assert.Equal("601", runs.ExpectMsg<AttemptsFinished>(a => !a.Full).Attempts.Single().ResultJson);
        var room = directory.FishForMessage<ExecutorLoad>(l => !l.Full, TimeSpan.FromSeconds(5));
        Assert.Equal((executor, 1, 0, 1), (room.Executor, room.Running, room.Waiting, room.Slots));
        executor.Tell(Execute("r1/q#2", "blocker", "603", attempt: 3));
        runs.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        executor.Tell(ActionExecutor.GetLoad.Instance);
        Assert.Equal(new ActionExecutor.Load(1, 1), ExpectMsg<ActionExecutor.Load>());

        Gates.GetOrAdd(602, _ => new TaskCompletionSource()).SetResult();
        Gates.GetOrAdd(603, _ => new TaskCompletionSource()).SetResult();
    }

    [Fact]
    public void A_bad_queue_bound_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FanoutRuntimeOptions { MaxWaitingActions = -1 }.Validate());
        Assert.Equal(nameof(FanoutRuntimeOptions.MaxWaitingActions), error.ParamName);
        Assert.Contains("MaxWaitingActions must be 0 or more", error.Message);
        Assert.Equal(10_000, RuntimeSettings.From(new FanoutRuntimeOptions()).MaxWaitingActions);
        Assert.Equal(250, RuntimeSettings.From(new FanoutRuntimeOptions { ActionSlots = 25 }).MaxWaitingActions);
        Assert.Equal(0, RuntimeSettings.From(new FanoutRuntimeOptions { MaxWaitingActions = 0 }).MaxWaitingActions);
    }
}
