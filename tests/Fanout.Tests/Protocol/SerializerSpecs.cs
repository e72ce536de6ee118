using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;

namespace Fanout.Tests.Protocol;

/// <summary>Every message and event goes through Fanout's own serializer and comes back equal.</summary>
public sealed class SerializerSpecs() : TestKit(Actors.ActorSpecConfig.Hocon)
{
    private static readonly CallOptions Options = new(2, 1500, 100, 60_000);
    private static readonly ErrorInfo Error = new("System.Exception", "boom", "at X()");

    public static IEnumerable<object[]> Messages()
    {
        var entries = new[]
        {
            new LedgerEntry(LedgerEntryKind.RunStarted, 1) { TaskName = "env.main" },
            new LedgerEntry(LedgerEntryKind.ActionRequested, 2)
            {
                ActionId = "r/env.t#0", ParentId = "r", TaskName = "env.t", Group = "g/h", InputJson = "{\"a\":1}", Options = Options,
            },
            new LedgerEntry(LedgerEntryKind.AttemptStarted, 2) { ActionId = "r/env.t#0", Attempt = 1, NodeRef = 1, Node = "10.0.0.1:4053" },
            new LedgerEntry(LedgerEntryKind.AttemptFailed, 3) { ActionId = "r/env.t#0", Attempt = 1, Error = Error },
            new LedgerEntry(LedgerEntryKind.AttemptStarted, 3) { ActionId = "r/env.t#0", Attempt = 2, NodeRef = 1 },
            new LedgerEntry(LedgerEntryKind.AttemptInterrupted, 3) { ActionId = "r/env.t#0", Attempt = 2, Error = Error },
            new LedgerEntry(LedgerEntryKind.RunFinished, 4) { RunStatus = RunStatus.Succeeded },
        };
        var summary = new RunSummary("r", "env.main", RunStatus.Running, DateTimeOffset.FromUnixTimeMilliseconds(5), null, 3,
            new Dictionary<ActionStatus, int> { [ActionStatus.Running] = 2, [ActionStatus.Failed] = 1 },
            [new GroupSummary("g", 2, new Dictionary<ActionStatus, int> { [ActionStatus.Running] = 2 })], null);
        var info = new ActionInfo("r/env.t#0", "r", "env.t", "g", ActionStatus.Failed, 2,
            DateTimeOffset.FromUnixTimeMilliseconds(5), DateTimeOffset.FromUnixTimeMilliseconds(9), Error.ToPublic());

        yield return [new LedgerBatch(entries)];
        yield return [new StartRun("r", "env.main", "[1,2]", Options)];
        yield return [new StartRun("r", "env.main", "[1,2]", Options with { Role = "gpu" })];
        yield return [new RunAccepted("r")];
        yield return [new RunAccepted("r", new RunStartedWith("env.main", "{\"a\":[1,2]}"))];
        yield return [new RunRefused("r", 200_000)];
        yield return [new StartChildren("r", "r", [new ChildCall("r/env.t#0", "env.t", "g", "3", Options)], ActorRefs.Nobody)];
        // Traced: the W3C context of the caller's span travels with the start, the call and the attempt.
        var trace = new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=a1");
        yield return [new StartRun("r", "env.main", "[1,2]", Options) { Trace = trace }];
        yield return [new StartChildren("r", "r", [new ChildCall("r/env.t#0", "env.t", "g", "3", Options) { Trace = trace with { State = null } }], ActorRefs.Nobody)];
        yield return [new ExecuteAction("r/g/env.t#0", "r", "env.t", "3", 2, 0) { Trace = trace, Group = "g" }];
        yield return [new ChildrenAccepted(1)];
        yield return [new ChildResults("r", [new ChildOutcome("r/env.t#0", "env.t", OutcomeKind.Failed, null, Error, 3)])];
        yield return [new AttemptFinished("r", "r/env.t#0", 2, OutcomeKind.Succeeded, "\"x\"", null, false)];
        yield return [new AttemptsFinished("r", [new AttemptFinished("r", "r/env.t#0", 1, OutcomeKind.Failed, null, Error, true)])];
        yield return [new CancelRun("r", "why")];
        yield return [new Fanout.Clustering.ExecutorDraining(ActorRefs.Nobody)];
        yield return [new Fanout.Clustering.ExecutorLoad(ActorRefs.Nobody, 1000, 250, 1000, 10_000, Full: false)];
        yield return [Fanout.Clustering.GetExecutorStatus.Instance];
        yield return [Fanout.Operations.LeaveGracefully.Instance];
        yield return [new Fanout.Operations.LeavingGracefully("akka.tcp://fanout@127.0.0.1:4053")];
        yield return [new Fanout.Clustering.ExecutorStatus(16, 16, 3, 160, Draining: false,
            [new Fanout.Clustering.RunLoad("r1", 10, 3), new Fanout.Clustering.RunLoad("r2", 6, 0)])];
        yield return [new RunSnapshot("r", "env.main", RunStatus.Failed, 5, 9,
        [
            new ActionSnapshot("r", null, "env.main", "", "[1,2]", Options, 5, ActionStatus.Failed, 2, 1, 9, null, Error,
                Node: "10.0.0.2:4053", AttemptStartedAtMs: 8,
                EarlierAttempts: [new PastAttempt(1, "10.0.0.1:4053", 5, 7, AttemptOutcome.Failed, new ErrorInfo("E", "m", null))]),
            new ActionSnapshot("r/g/env.t#0", "r", "env.t", "g", "3", Options, 6, ActionStatus.Succeeded, 1, 0, 8, "\"x\"", null),
            new ActionSnapshot("r/g/env.t#1", "r", "env.t", "g", "4", Options with { Retries = 3 }, 6, ActionStatus.Queued, 0, 0, 0, null,
                new ErrorInfo("E", "m", null)),
            new ActionSnapshot("r/g/env.t#2", "r", "env.t", "g", "5", Options with { Role = "gpu" }, 6, ActionStatus.Running, 1, 0, 0, null, null),
            new ActionSnapshot("r/g/env.t#3", "r", "env.t", "g", "6", Options, 6, ActionStatus.Running, 3, 0, 0, null, null, InterruptedAttempts: 2,
                Node: "10.0.0.1:4053", AttemptStartedAtMs: 9,
                EarlierAttempts: [new PastAttempt(1, null, 0, 0, AttemptOutcome.Interrupted, null), new PastAttempt(2, "10.0.0.2:4053", 7, 0, AttemptOutcome.Lost, null)]),
        ], ["10.0.0.1:4053", "10.0.0.2:4053"])];
        yield return [new ExecuteAction("r/env.t#0", "r", "env.t", "3", 1, 1500)];
        yield return [new CancelAction("r/env.t#0", "why")];
        yield return [new ExecuteActions([new ExecuteAction("r/env.t#0", "r", "env.t", "3", 1, 0), new ExecuteAction("r/env.t#1", "r", "env.t", "4", 2, 0)])];
        yield return [new ReportAttempts("r")];
        yield return [new HeldAttempts("r", [new HeldAttempt("r", 2, true), new HeldAttempt("r/env.t#0", 1, false)])];
        yield return [new AbandonAttempt("r", 2)];
        yield return [new AttemptsHeld("r", [new HeldAttempt("r", 2, true), new HeldAttempt("r/env.t#0", 1, false)])];
        yield return [new ReportsAcknowledged("r", [new AttemptKey("r/env.t#0", 1), new AttemptKey("r", 2)])];
        yield return [new ChildResultsReceived("r", ["r/env.t#0", "r/env.t#1"])];
        yield return [new AttemptsFinished("r", [new AttemptFinished("r", "r", 1, OutcomeKind.Interrupted, null, Error, true)], Draining: true)];
        yield return [new AttemptsFinished("r", [new AttemptFinished("r", "r/env.t#1", 1, OutcomeKind.Interrupted, null, Error, true)], Full: true)];
        yield return [new GetRunSummary("r")];
        yield return [new RunSummaryReply(summary)];
        yield return [new GetRunSummary("r") { WithGroupTree = true }];
        yield return [new RunSummaryReply(summary with { GroupsNotListed = 7 })
        {
            GroupTree = new GroupTreeView([new GroupFolderView("g", 3, new Dictionary<ActionStatus, int> { [ActionStatus.Running] = 3 }, 1),
                new GroupFolderView("g/h", 1, new Dictionary<ActionStatus, int> { [ActionStatus.Running] = 1 }, 0)], 4),
        }];
        yield return [new ListActions("r", new ActionQuery(ActionStatus.Failed, "g", 10, 20))];
        yield return [new ListActions("r", new ActionQuery(ActionStatus.Failed, "g", 10, 20, "env.leaf"))];
        yield return [new ActionPageReply(new ActionPage(1, 0, [info]))];
        yield return [new GetActionDetail("r", "r/g/env.t#3")];
        yield return [new ActionDetailReply(true, new ActionDetail(info,
            [new AttemptInfo(1, "127.0.0.1:4053", DateTimeOffset.FromUnixTimeMilliseconds(1_000), DateTimeOffset.FromUnixTimeMilliseconds(2_000),
                AttemptOutcome.Failed, Error.ToPublic())], "{\"x\":1}", 7, null, 0))];
        yield return [new ActionDetailReply(false, null)];
        yield return [new AwaitRun("r", 10_000)];
        yield return [new RunStillGoing("r")];
        yield return [new RunOutcome("r", RunStatus.Failed, null, Error, "r", "env.main", 2, true)];
        yield return [new RunUnavailable("r", "its journal write failed: connection refused")];
        yield return [new ListRuns(new RunListQuery { Status = RunStatus.Failed, TaskName = "env.main", Since = DateTimeOffset.FromUnixTimeMilliseconds(5_000), Limit = 20 })];
        yield return [new RunsListed(new RunListPage(
            [new RunListEntry("r", "env.main", RunStatus.Failed, DateTimeOffset.FromUnixTimeMilliseconds(1_000), DateTimeOffset.FromUnixTimeMilliseconds(2_000),
                3, new Dictionary<ActionStatus, int> { [ActionStatus.Succeeded] = 2, [ActionStatus.Failed] = 1 }, new ActionError("E", "bad", null), true)],
            "next"), null, null)];
        yield return [new RunsListed(null, "Cursor 'x' is not a cursor this API gave out", null)];
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_round_trips_through_the_fanout_serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<FanoutSerializer>(serializer);

        var manifest = ((Akka.Serialization.SerializerWithStringManifest)serializer).Manifest(message);
        var back = Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);

        Assert.Equal(Json(message), Json(back));
    }

    [Fact]
    public void Every_known_message_type_is_covered_by_the_round_trip_cases()
    {
        var covered = Messages().Select(m => m[0].GetType()).ToHashSet();
        var uncovered = FanoutSerializer.KnownTypes.Where(t => !covered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(uncovered.Count == 0, $"no round-trip case for: {string.Join(", ", uncovered)}");
    }

    [Fact]
    public void An_actor_reference_resolves_back_to_the_same_actor()
    {
        var message = new StartChildren("r", "r", [], TestActor);
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var back = (StartChildren)Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, "SC");
        Assert.Equal(TestActor, back.ReplyTo);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_its_name()
    {
        var serializer = (FanoutSerializer)Sys.Serialization.FindSerializerFor(new RunAccepted("r"));
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "??"));
        Assert.Contains("'??'", error.Message);
    }

    // Records holding lists compare by reference, so compare their JSON instead.
    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value, value.GetType(),
        new System.Text.Json.JsonSerializerOptions { Converters = { new ActorPathOnly() } });

    private sealed class ActorPathOnly : System.Text.Json.Serialization.JsonConverter<IActorRef>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(IActorRef).IsAssignableFrom(typeToConvert);
        public override IActorRef Read(ref System.Text.Json.Utf8JsonReader reader, Type t, System.Text.Json.JsonSerializerOptions o) =>
            throw new NotSupportedException();
        public override void Write(System.Text.Json.Utf8JsonWriter writer, IActorRef value, System.Text.Json.JsonSerializerOptions o) =>
            writer.WriteStringValue(value.Path.ToString());
    }
}
