using System.Collections.Immutable;
using Akka.Actor;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Runtime;

/// <summary>
/// The run's decisions on their own: no actor system, no journal. Each spec feeds <see cref="RunCore"/>
/// what a run hears and reads the facts it records and the effects it asks for, in order.
/// </summary>
public sealed class RunCoreSpecs
{
    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);
    private static readonly CallOptions TwoRetries = new(2, 0, 500, 500);
    private static readonly IActorRef ExecutorA = new NamedRef("executor-a");
    private static readonly IActorRef ExecutorB = new NamedRef("executor-b");
    private static readonly IActorRef ParentExecutor = new NamedRef("parent-executor");

    private readonly EffectLog _effects = new();
    private long _now = 1_000;

    private RunCore Core(int maxInFlight = 10_000, int lostAttemptRetries = 3, params IActorRef[] executors)
    {
        var settings = RuntimeSettings.From(new FanoutRuntimeOptions
        {
            MaxActionsInFlightPerRun = maxInFlight, LostAttemptRetries = lostAttemptRetries, PlacementTimeout = TimeSpan.FromSeconds(30),
        });
        var core = new RunCore(new RunState("r"), settings, _effects, () => _now);
        core.OnExecutorsChanged([.. executors.Select(e => Entry(e))]);
        return core;
    }

    private static ExecutorEntry Entry(IActorRef executor, params string[] roles) =>
        new(executor, new Address("akka.tcp", "fanout", executor.Path.Name, 1), [.. roles]);

    private static ChildCall Call(string id, CallOptions? options = null) => new($"r/{id}", "env.leaf", null, "1", options ?? NoRetries);

    private static AttemptFinished Report(string id, int attempt, OutcomeKind kind, bool retryable = true) =>
        new("r", id, attempt, kind, kind == OutcomeKind.Succeeded ? "7" : null,
            kind == OutcomeKind.Succeeded ? null : new ErrorInfo("System.Exception", "boom", null), retryable);

    private RunCore StartedWithParent(int maxInFlight = 10_000, int lostAttemptRetries = 3, params IActorRef[] executors)
    {
        var core = Core(maxInFlight, lostAttemptRetries, executors.Length == 0 ? [ExecutorA] : executors);
        core.Start(new StartRun("r", "env.main", "0", NoRetries));
        _effects.Clear();
        return core;
    }

    [Fact]
    public void A_start_records_the_run_and_its_root_starting_in_one_entry_and_sends_the_root_once_durable()
    {
        var core = Core(executors: ExecutorA);

        Assert.Null(core.Start(new StartRun("r", "env.main", "0", NoRetries)));

        Assert.Equal(["journal RunStarted", "journal ActionRequested r attempt 1", "watch executor-a", "send r#1 to executor-a"], _effects.Lines);
        Assert.Equal((ActionStatus.Running, 1), (core.State.Root!.Status, core.State.Root.Attempts));
    }

    [Fact]
    public void A_start_under_an_id_that_holds_another_task_is_answered_with_what_the_run_holds_and_records_nothing()
    {
        var core = StartedWithParent();

        var conflict = core.Start(new StartRun("r", "env.other", "0", NoRetries));

        Assert.Equal(new RunStartedWith("env.main", "0"), conflict);
        Assert.Empty(_effects.Lines);
    }

    [Fact]
    public void With_no_node_to_run_it_the_root_waits_and_starts_when_one_appears()
    {
        var core = Core();
        core.Start(new StartRun("r", "env.main", "0", NoRetries));
        Assert.Equal(["journal RunStarted", "journal ActionRequested r attempt 0", "check placement on"], _effects.Lines);
        Assert.Contains("1 action(s) wait for a live node (any worker)", core.DescribeUnplaced());
        _effects.Clear();

        core.OnExecutorsChanged([Entry(ExecutorA)]);

        Assert.Equal(["journal AttemptStarted r attempt 1", "watch executor-a", "send r#1 to executor-a", "check placement off"], _effects.Lines);
        Assert.Null(core.DescribeUnplaced());
    }

    [Fact]
    public void An_action_nobody_can_run_fails_once_its_placement_timeout_passes()
    {
        var core = StartedWithParent();
        core.Call("r", [Call("gpu", NoRetries with { Role = "gpu" })], ParentExecutor);
        Assert.Equal(["journal ActionRequested r/gpu attempt 0", "check placement on"], _effects.Lines);
        _effects.Clear();

        core.FailUnplacedPastTimeout();
        Assert.Empty(_effects.Lines);

        _now += 30_000;
        core.FailUnplacedPastTimeout();
        Assert.Equal(["journal ActionFailed r/gpu Fanout.NoNodeForRole", "ended r/gpu", "check placement off"], _effects.Lines);
    }

    [Fact]
    public void An_action_goes_only_to_a_node_with_its_role()
    {
        var core = Core();
        core.OnExecutorsChanged([Entry(ExecutorA), Entry(ExecutorB, "gpu")]);
        core.Start(new StartRun("r", "env.main", "0", NoRetries));
        _effects.Clear();

        core.Call("r", [Call("g0", NoRetries with { Role = "gpu" }), Call("g1", NoRetries with { Role = "gpu" })], ParentExecutor);

        Assert.Equal(2, _effects.Lines.Count(l => l.StartsWith("send r/g", StringComparison.Ordinal) && l.EndsWith("to executor-b", StringComparison.Ordinal)));
    }

    [Fact]
    public void Calls_beyond_the_in_flight_limit_queue_and_start_as_attempts_end_and_a_calling_parent_gives_its_place_back()
    {
        var core = StartedWithParent(maxInFlight: 2);

        core.Call("r", [Call("c0"), Call("c1"), Call("c2")], ParentExecutor);

        // The root gave its place back when it called: two children start, the third waits for room.
        Assert.Equal([
            "journal ActionRequested r/c0 attempt 1", "watch executor-a", "send r/c0#1 to executor-a",
            "journal ActionRequested r/c1 attempt 1", "watch executor-a", "send r/c1#1 to executor-a",
            "journal ActionRequested r/c2 attempt 0",
        ], _effects.Lines);
        Assert.Equal((2, 1, ActionStatus.Queued), (core.InFlight, core.Queued, core.State.Find("r/c2")!.Status));
        _effects.Clear();

        Assert.True(core.OnAttemptFinished(Report("r/c0", 1, OutcomeKind.Succeeded)));

        Assert.Equal(["journal AttemptStarted r/c2 attempt 1", "watch executor-a", "send r/c2#1 to executor-a", "journal ActionSucceeded r/c0", "ended r/c0"],
            _effects.Lines);
        Assert.Equal((2, 0), (core.InFlight, core.Queued));
    }

    [Fact]
    public void A_failure_with_retries_left_waits_its_backoff_and_a_report_that_comes_again_meanwhile_changes_nothing()
    {
        var core = StartedWithParent();
        core.Call("r", [Call("c", TwoRetries)], ParentExecutor);
        _effects.Clear();

        Assert.True(core.OnAttemptFinished(Report("r/c", 1, OutcomeKind.Failed)));
        Assert.Equal(["journal AttemptFailed r/c attempt 1", "retry r/c after 1 in 500 ms"], _effects.Lines);
        _effects.Clear();

        // Its acknowledgement was lost and the executor sent it again; the retry due for another attempt is stale.
        Assert.False(core.OnAttemptFinished(Report("r/c", 1, OutcomeKind.Failed)));
        core.RetryDue("r/c", afterAttempt: 0);
        Assert.Empty(_effects.Lines);
        Assert.Equal((ActionStatus.Retrying, 1), (core.State.Find("r/c")!.Status, core.State.Find("r/c")!.FailedAttempts));

        core.RetryDue("r/c", afterAttempt: 1);
        Assert.Equal(["journal AttemptStarted r/c attempt 2", "watch executor-a", "send r/c#2 to executor-a"], _effects.Lines);
    }

    [Fact]
    public void The_failure_after_the_last_retry_ends_the_action_and_so_does_an_error_no_retry_can_fix()
    {
        var core = StartedWithParent();
        core.Call("r", [Call("spent", TwoRetries), Call("bad-input", TwoRetries)], ParentExecutor);
        core.OnAttemptFinished(Report("r/spent", 1, OutcomeKind.Failed));
        core.RetryDue("r/spent", 1);
        core.OnAttemptFinished(Report("r/spent", 2, OutcomeKind.Failed));
        core.RetryDue("r/spent", 2);
        _effects.Clear();

        core.OnAttemptFinished(Report("r/spent", 3, OutcomeKind.Failed));
        core.OnAttemptFinished(Report("r/bad-input", 1, OutcomeKind.Failed, retryable: false));

        Assert.Equal(["journal ActionFailed r/spent", "ended r/spent", "journal ActionFailed r/bad-input", "ended r/bad-input"], _effects.Lines);
    }

    [Fact]
    public void An_attempt_handed_back_starts_again_elsewhere_without_costing_a_retry_or_a_loss()
    {
        var core = StartedWithParent(lostAttemptRetries: 0, executors: [ExecutorA, ExecutorB]);
        core.Call("r", [Call("c")], ParentExecutor);
        var first = core.State.Find("r/c")!.Executor!;
        core.Avoid(first); // it drains
        _effects.Clear();

        Assert.True(core.OnAttemptFinished(Report("r/c", 1, OutcomeKind.Interrupted)));

        var other = first.Equals(ExecutorA) ? "executor-b" : "executor-a";
        Assert.Equal(["journal AttemptInterrupted r/c attempt 1", "journal AttemptStarted r/c attempt 2", $"watch {other}", $"send r/c#2 to {other}"],
            _effects.Lines);
        Assert.False(core.OnAttemptFinished(Report("r/c", 1, OutcomeKind.Interrupted)), "the hand-back sent again is stale");
    }

    [Fact]
    public void Attempts_held_by_an_executor_that_died_start_again_until_the_losses_allowed_are_spent()
    {
        var core = StartedWithParent(lostAttemptRetries: 1, executors: [ExecutorA]);
        core.Call("r", [Call("c")], ParentExecutor);
        _effects.Clear();

        Assert.Equal(2, core.OnExecutorLost(ExecutorA)); // the root and its child
        Assert.DoesNotContain(_effects.Lines, l => l.StartsWith("send", StringComparison.Ordinal));
        Assert.Contains("check placement on", _effects.Lines); // nobody left to run them: they wait

        _effects.Clear();
        core.OnExecutorsChanged([Entry(ExecutorB)]);
        Assert.Contains("send r/c#2 to executor-b", _effects.Lines);

        _effects.Clear();
        core.OnExecutorLost(ExecutorB);
        Assert.Contains("journal ActionFailed r/c Fanout.AttemptLostException", _effects.Lines);
    }

    [Fact]
    public void A_child_outcome_goes_to_every_parent_attempt_awaiting_it_and_the_root_outcome_ends_the_run_cancelling_what_is_left()
    {
        var core = StartedWithParent();
        var otherParent = new NamedRef("parent-executor-2");
        core.Call("r", [Call("done"), Call("left")], ParentExecutor);
        core.Call("r", [Call("done")], otherParent);
        core.OnAttemptFinished(Report("r/done", 1, OutcomeKind.Succeeded));
        _effects.Clear();

        core.OnOutcomeDurable(core.State.Find("r/done")!);
        Assert.Equal(["answer r/done Succeeded to parent-executor", "answer r/done Succeeded to parent-executor-2"], _effects.Lines);

        _effects.Clear();
        core.OnAttemptFinished(Report("r", 1, OutcomeKind.Succeeded));
        core.OnOutcomeDurable(core.State.Root!);
        Assert.Equal([
            "journal ActionSucceeded r", "ended r",
            "journal ActionCancelled r/left", "cancel r/left on executor-a", "cancel retry r/left", "ended r/left",
            "check placement off", "journal RunFinished Succeeded", "run ended",
        ], _effects.Lines);
    }

    [Fact]
    public void A_call_made_again_with_another_input_is_answered_as_non_deterministic_and_a_finished_one_with_its_outcome()
    {
        var core = StartedWithParent();
        core.Call("r", [Call("c")], ParentExecutor);
        core.OnAttemptFinished(Report("r/c", 1, OutcomeKind.Succeeded));
        _effects.Clear();

        core.Call("r", [Call("c") with { InputJson = "2" }, Call("c")], ParentExecutor);

        Assert.Equal(["answer after write r/c Failed Fanout.NonDeterministicCall to parent-executor", "answer after write r/c Succeeded to parent-executor"],
            _effects.Lines);
    }

    [Fact]
    public void A_recovered_run_starts_again_only_what_no_executor_was_found_holding()
    {
        // What the journal of a run that moved holds: the root and two children started, one child's failure
        // recorded (its retry timer died with the old node).
        var state = new RunState("r");
        var entries = new[]
        {
            new LedgerEntry(LedgerEntryKind.RunStarted, 1) { TaskName = "env.main" },
            new LedgerEntry(LedgerEntryKind.ActionRequested, 1) { ActionId = "r", TaskName = "env.main", InputJson = "0", Options = NoRetries, Attempt = 1 },
            new LedgerEntry(LedgerEntryKind.ActionRequested, 2) { ActionId = "r/adopted", ParentId = "r", TaskName = "env.leaf", InputJson = "1", Options = NoRetries, Attempt = 1 },
            new LedgerEntry(LedgerEntryKind.ActionRequested, 2) { ActionId = "r/retrying", ParentId = "r", TaskName = "env.leaf", InputJson = "1", Options = TwoRetries, Attempt = 1 },
            new LedgerEntry(LedgerEntryKind.AttemptFailed, 3) { ActionId = "r/retrying", Attempt = 1 },
        };
        foreach (var entry in entries) state.Apply(entry);
        var core = new RunCore(state, RuntimeSettings.From(new FanoutRuntimeOptions()), _effects, () => _now);
        core.OnExecutorsChanged([Entry(ExecutorA)]);

        core.Adopt(state.Find("r/adopted")!, ExecutorA, 1);
        core.SetAside(state.Root!, 1, "its run moved to another node");
        core.Resume();
        core.Call("r", [Call("adopted"), Call("retrying", TwoRetries)], ParentExecutor);

        Assert.Equal([
            "watch executor-a",
            "journal AttemptInterrupted r attempt 1", "journal AttemptStarted r attempt 2", "watch executor-a", "send r#2 to executor-a",
            "journal AttemptStarted r/retrying attempt 2", "watch executor-a", "send r/retrying#2 to executor-a",
        ], _effects.Lines);
        // The old root attempt was alive (set aside, not lost); the adopted child is not sent again.
        Assert.Equal((1, 1, 2), (state.Root!.InterruptedAttempts, state.Find("r/adopted")!.Attempts, core.InFlight));
    }

    /// <summary>An actor ref with a name and nothing behind it: the core only compares and names them.</summary>
    private sealed class NamedRef(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("akka", "spec")) / name;

        public override IActorRefProvider Provider => throw new NotSupportedException("a spec's stand-in executor has no provider");
    }

    /// <summary>The effects, one line each, in the order asked.</summary>
    private sealed class EffectLog : IRunEffects
    {
        public List<string> Lines { get; } = [];

        public void Clear() => Lines.Clear();

        public void Journal(LedgerEntry e) => Lines.Add(e.Kind switch
        {
            LedgerEntryKind.RunStarted => "journal RunStarted",
            LedgerEntryKind.RunFinished => $"journal RunFinished {e.RunStatus}",
            LedgerEntryKind.ActionRequested or LedgerEntryKind.AttemptStarted or LedgerEntryKind.AttemptFailed or LedgerEntryKind.AttemptInterrupted
                => $"journal {e.Kind} {e.ActionId} attempt {e.Attempt}",
            LedgerEntryKind.ActionFailed when e.Error!.Type.StartsWith("Fanout.", StringComparison.Ordinal) => $"journal ActionFailed {e.ActionId} {e.Error.Type}",
            _ => $"journal {e.Kind} {e.ActionId}",
        });

        public void SendAfterWrite(ActionRecord action, int attempt) => Lines.Add($"send {action.Id}#{attempt} to {action.Executor!.Path.Name}");
        public void EndedAfterWrite(ActionRecord action) => Lines.Add($"ended {action.Id}");
        public void Answer(IActorRef waiter, string parentId, ChildOutcome o) => Lines.Add($"answer {o.ActionId} {o.Kind} to {waiter.Path.Name}");

        public void AnswerAfterWrite(IActorRef waiter, string parentId, ChildOutcome o) =>
            Lines.Add($"answer after write {o.ActionId} {o.Kind}{(o.Error is { } e ? " " + e.Type : "")} to {waiter.Path.Name}");

        public void RetryAfterWrite(string actionId, int afterAttempt, TimeSpan backoff) =>
            Lines.Add($"retry {actionId} after {afterAttempt} in {backoff.TotalMilliseconds:F0} ms");

        public void CancelRetry(string actionId) => Lines.Add($"cancel retry {actionId}");
        public void CancelOnExecutor(IActorRef executor, string actionId, string reason) => Lines.Add($"cancel {actionId} on {executor.Path.Name}");
        public void Watch(IActorRef executor) => Lines.Add($"watch {executor.Path.Name}");
        public void CheckPlacementPeriodically(bool needed) => Lines.Add($"check placement {(needed ? "on" : "off")}");
        public void RunEndedAfterWrite() => Lines.Add("run ended");
    }
}
