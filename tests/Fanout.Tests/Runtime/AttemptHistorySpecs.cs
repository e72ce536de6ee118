using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fanout.Clustering;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Runtime;

/// <summary>
/// Each attempt of an action with its node, times and outcome: as the run decides them, as its journal
/// (through Fanout's serializer) gives them back, and as a snapshot taken at any point and the entries after
/// it give them back. The three must show the same detail.
/// </summary>
public sealed class AttemptHistorySpecs() : TestKit(Actors.ActorSpecConfig.Hocon)
{
    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);
    private static readonly CallOptions OneRetry = new(1, 0, 500, 500);
    private static readonly Address NodeA = new("akka.tcp", "fanout", "10.0.0.1", 4053);
    private static readonly Address NodeB = new("akka.tcp", "fanout", "10.0.0.2", 4053);

    private readonly JournalingEffects _effects = new();
    private long _now = 1_700_000_000_000;

    /// <summary>
    /// A run whose children end every way an attempt can: failed then retried elsewhere, lost with their node,
    /// handed back, set aside after a later one started, failed for good, cancelled with the run.
    /// </summary>
    private RunCore PlayRun()
    {
        var a = new ExecutorEntry(CreateTestProbe("executor-a").Ref, NodeA, []);
        var b = new ExecutorEntry(CreateTestProbe("executor-b").Ref, NodeB, []);
        var core = new RunCore(new RunState("r"), RuntimeSettings.From(new FanoutRuntimeOptions()), _effects, () => _now);
        core.OnExecutorsChanged([a]);
        core.Start(new StartRun("r", "env.main", "0", NoRetries));
        _now += 10;
        core.Call("r", [Call("retried", OneRetry), Call("lost"), Call("handed-back"), Call("set-aside"), Call("ok")], a.Executor);

        _now += 20;
        core.OnAttemptFinished(Report("retried", 1, OutcomeKind.Failed));
        core.OnAttemptFinished(Report("handed-back", 1, OutcomeKind.Interrupted)); // attempt 2 starts on A at once
        core.OnAttemptFinished(Report("ok", 1, OutcomeKind.Succeeded));

        _now += 30;
        core.OnExecutorsChanged([b]);
        core.RetryDue("r/retried", afterAttempt: 1); // attempt 2 on B
        core.OnExecutorLost(a.Executor); // root, lost, handed-back#2, set-aside: their attempts on A start again on B

        _now += 40;
        core.SetAside(core.State.Find("r/set-aside")!, 1, "it was found running after a later attempt started");
        core.OnAttemptFinished(Report("retried", 2, OutcomeKind.Succeeded));
        core.OnAttemptFinished(Report("lost", 2, OutcomeKind.Failed, retryable: false));

        _now += 50;
        core.Cancel("the spec is done"); // handed-back#3, set-aside#2 and the root were running on B
        return core;
    }

    private static ChildCall Call(string name, CallOptions? options = null) => new($"r/{name}", "env.leaf", "g", "1", options ?? NoRetries);

    private static AttemptFinished Report(string name, int attempt, OutcomeKind kind, bool retryable = true) =>
        new("r", $"r/{name}", attempt, kind, kind == OutcomeKind.Succeeded ? "7" : null,
            kind == OutcomeKind.Succeeded ? null : new ErrorInfo("System.Exception", $"{name} #{attempt} broke", "at Leaf()"), retryable);

    private static string Describe(RunState state, string id) =>
        string.Join(" | ", state.Detail(id)!.Attempts.Select(a =>
            $"{a.Number} {a.Node ?? "?"} {a.StartedAt?.ToUnixTimeMilliseconds() % 1000 ?? -1}-{a.EndedAt?.ToUnixTimeMilliseconds() % 1000 ?? -1} " +
            $"{a.Outcome}{(a.Error is { } e ? " " + e.Message : "")}"));

    [Fact]
    public void Each_attempt_shows_its_node_its_times_and_how_it_ended()
    {
        var state = PlayRun().State;

        Assert.Equal("1 10.0.0.1:4053 10-30 Failed retried #1 broke | 2 10.0.0.2:4053 60-100 Succeeded",
            Describe(state, "r/retried"));
        Assert.Equal("1 10.0.0.1:4053 10--1 Lost | 2 10.0.0.2:4053 60-100 Failed lost #2 broke", Describe(state, "r/lost"));
        Assert.Equal("1 10.0.0.1:4053 10-30 Interrupted handed-back #1 broke | 2 10.0.0.1:4053 30--1 Lost | " +
                     "3 10.0.0.2:4053 60-150 Cancelled", Describe(state, "r/handed-back"));
        Assert.Equal("1 10.0.0.1:4053 10-100 Interrupted attempt 1 was set aside: it was found running after a later attempt started | " +
                     "2 10.0.0.2:4053 60-150 Cancelled", Describe(state, "r/set-aside"));
        Assert.Equal("1 10.0.0.1:4053 10-30 Succeeded", Describe(state, "r/ok"));
        Assert.Equal("1 10.0.0.1:4053 0--1 Lost | 2 10.0.0.2:4053 60-150 Cancelled", Describe(state, "r"));

        // The last failure keeps its stack trace; the node table names each node once.
        Assert.Equal("at Leaf()", state.Detail("r/lost")!.Attempts[^1].Error!.StackTrace);
        Assert.Equal(["10.0.0.1:4053", "10.0.0.2:4053"], state.Nodes);
        Assert.Equal(2, _effects.Journaled.Count(e => e.Node is not null));
    }

    [Fact]
    public void The_journal_and_a_snapshot_taken_anywhere_give_the_same_detail_as_the_live_run()
    {
        var live = PlayRun().State;
        var journal = RoundTrip(_effects.Journaled);
        var ids = live.Actions.Select(a => a.Id).ToList();
        var expected = ids.Select(id => Detail(live, id)).ToList();

        var replayed = new RunState("r");
        foreach (var entry in journal) replayed.Apply(entry);
        Assert.Equal(expected, ids.Select(id => Detail(replayed, id)));

        for (var split = 0; split <= journal.Count; split++)
        {
            var before = new RunState("r");
            foreach (var entry in journal.Take(split)) before.Apply(entry);
            var recovered = RunState.FromSnapshot(RunSnapshotCodec.Read(before.Encode().Bytes));
            foreach (var entry in journal.Skip(split)) recovered.Apply(entry);
            Assert.True(expected.SequenceEqual(ids.Select(id => Detail(recovered, id))),
                $"a snapshot after {split} of {journal.Count} entries and the rest replayed differ from the live run");
        }
    }

    [Fact]
    public void A_snapshot_carries_attempts_that_started_long_after_their_action()
    {
        var state = new RunState("r");
        state.Apply(new LedgerEntry(LedgerEntryKind.RunStarted, 1_000) { TaskName = "env.main" });
        state.Apply(new LedgerEntry(LedgerEntryKind.ActionRequested, 1_000) { ActionId = "r", TaskName = "env.main", InputJson = "0", Options = NoRetries });
        var farOut = 1_000 + 60L * 24 * 3600 * 1000; // 60 days: beyond what the record's int holds
        state.Apply(new LedgerEntry(LedgerEntryKind.AttemptStarted, farOut) { ActionId = "r", Attempt = 1, NodeRef = 1, Node = "h:1" });

        var recovered = RunState.FromSnapshot(RunSnapshotCodec.Read(state.Encode().Bytes));

        Assert.Equal(farOut, state.Detail("r")!.Attempts.Single().StartedAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(Detail(state, "r"), Detail(recovered, "r"));
    }

    /// <summary>The detail as text: records holding lists compare them by reference.</summary>
    private static string Detail(RunState state, string id)
    {
        var detail = state.Detail(id)!;
        return $"{detail.Action} :: {string.Join(" ; ", detail.Attempts)} :: {detail.InputPreview} :: {detail.ResultPreview}";
    }

    /// <summary>The entries as the journal stores them: through Fanout's serializer, a batch per entry.</summary>
    private List<LedgerEntry> RoundTrip(IEnumerable<LedgerEntry> entries)
    {
        var serializer = Sys.Serialization.FindSerializerFor(new LedgerBatch([]));
        return entries.Select(e =>
        {
            var batch = new LedgerBatch([e]);
            var bytes = serializer.ToBinary(batch);
            return ((LedgerBatch)Sys.Serialization.Deserialize(bytes, serializer.Identifier, "L")).Entries.Single();
        }).ToList();
    }
}
