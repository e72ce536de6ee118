using Fanout.Protocol;

namespace Fanout.Tests.Protocol;

/// <summary>The run snapshot's binary form gives back every field, whichever way each id was written.</summary>
public sealed class RunSnapshotCodecSpecs
{
    private static readonly CallOptions Options = new(2, 1500, 10, 100);

    private static ActionSnapshot Action(string id, string? parent, string task, string group,
        ActionStatus status = ActionStatus.Succeeded, long finishedAtMs = 1_700_000_000_900, string? result = "1", ErrorInfo? error = null) =>
        new(id, parent, task, group, "{\"x\":1}", Options, 1_700_000_000_100, status, 1, 0, finishedAtMs, result, error);

    [Fact]
    public void Every_field_comes_back_for_ids_made_by_position_and_ids_that_are_not()
    {
        var actions = new[]
        {
            Action("r", null, "env.main", "", ActionStatus.Running, finishedAtMs: 0, result: null),
            Action("r/env.t#0", "r", "env.t", ""),                       // made by position
            Action("r/g/h/env.t#12345", "r", "env.t", "g/h"),            // made by position, in a nested group
            Action("r/env.t#012", "r", "env.t", ""),                     // leading zero: written whole
            Action("r/env.other#3", "r", "env.t", ""),                   // another task's name: written whole
            Action("r/g/env.t#-1", "r", "env.t", "g"),                   // not a position: written whole
            Action("r/env.t#7/env.u#2", "r/env.t#7", "env.u", "", ActionStatus.Failed, result: null,
                error: new ErrorInfo("System.Exception", "boom", "at X()")),
            Action("r/env.t#8", "r", "env.t", "", ActionStatus.Queued, finishedAtMs: 0, result: null),
        };
        var snapshot = new RunSnapshot("r", "env.main", RunStatus.Running, 1_700_000_000_000, 0, actions);

        var back = RunSnapshotCodec.Read(RunSnapshotCodec.Write(snapshot));

        Assert.Equal(("r", "env.main", RunStatus.Running, 1_700_000_000_000L, 0L),
            (back.RunId, back.RootTask, back.Status, back.StartedAtMs, back.FinishedAtMs));
        Assert.Equal(actions, back.Actions);
    }

    [Fact]
    public void A_snapshot_of_a_fan_out_takes_a_few_dozen_bytes_an_action()
    {
        var actions = Enumerable.Range(0, 10_000)
            .Select(i => Action($"rabcdefghij/bench.noop#{i}", "rabcdefghij", "bench.noop", "") with { InputJson = $"{i}", ResultJson = $"{i}" })
            .ToList();
        var bytes = RunSnapshotCodec.Write(new RunSnapshot("rabcdefghij", "bench.main", RunStatus.Succeeded, 1_700_000_000_000, 1_700_000_009_000, actions));
        Assert.InRange(bytes.Length / actions.Count, 10, 40);
    }

    [Fact]
    public void Interrupted_attempts_come_back_and_a_version_2_snapshot_reads_with_none_and_earlier_attempts_from_its_counts()
    {
        var interrupted = Action("r", null, "env.main", "", ActionStatus.Running, finishedAtMs: 0, result: null) with
        {
            Attempts = 4, FailedAttempts = 1, InterruptedAttempts = 2,
        };
        var back = RunSnapshotCodec.Read(RunSnapshotCodec.Write(new RunSnapshot("r", "env.main", RunStatus.Running, 1_700_000_000_000, 0, [interrupted])));
        Assert.Equal(interrupted, back.Actions.Single());

        // Written by the version-2 codec (before interrupted attempts were kept), from the same two actions.
        const string version2 = "AgFyAQhlbnYubWFpbgdSdW5uaW5nAGjlz4sBAAAAAAAAAAAAAAIAAXIAAQhlbnYubWFpbgIAATABAtwLCmQBA2dwdWUDB1J1bm5pbmcDAQAAAAEABAFyBQVlbnYudAIHeyJ4IjoxfQHJAQYJU3VjY2VlZGVkAQCFBwEBMQA=";
        var old = RunSnapshotCodec.Read(Convert.FromBase64String(version2));
        var options = new CallOptions(2, 1500, 10, 100, "gpu");
        Assert.Equal(new[]
        {
            new ActionSnapshot("r", null, "env.main", "", "0", options, 1_700_000_000_100, ActionStatus.Running, 3, 1, 0, null, null),
            new ActionSnapshot("r/env.t#0", "r", "env.t", "", "{\"x\":1}", options, 1_700_000_000_200, ActionStatus.Succeeded, 1, 0,
                1_700_000_000_900, "1", null),
        }, old.Actions.Select(a => a with { EarlierAttempts = null }));
        // Its attempts were only counted: the two before the running one are rebuilt, nodes and times unknown.
        Assert.Equal([new PastAttempt(1, null, 0, 0, AttemptOutcome.Failed, null), new PastAttempt(2, null, 0, 0, AttemptOutcome.Lost, null)],
            old.Actions[0].EarlierAttempts!);
        Assert.Null(old.Actions[1].EarlierAttempts);
        Assert.Empty(old.Nodes!);
    }

    [Fact]
    public void Attempts_nodes_and_times_come_back_with_the_run_s_node_table()
    {
        var earlier = new[]
        {
            new PastAttempt(1, "10.0.0.1:4053", 1_700_000_000_100, 1_700_000_000_300, AttemptOutcome.Failed, new ErrorInfo("E", "m", null)),
            new PastAttempt(2, "10.0.0.2:4053", 1_700_000_000_400, 0, AttemptOutcome.Lost, null),
            new PastAttempt(3, null, 0, 0, AttemptOutcome.Interrupted, new ErrorInfo("Fanout.AttemptInterrupted", "set aside", null)),
        };
        var action = Action("r", null, "env.main", "", ActionStatus.Running, finishedAtMs: 0, result: null) with
        {
            Attempts = 4, FailedAttempts = 1, InterruptedAttempts = 1, Node = "10.0.0.1:4053", AttemptStartedAtMs = 1_700_000_000_500,
            EarlierAttempts = earlier,
        };
        var plain = Action("r/env.t#0", "r", "env.t", "") with { Node = "10.0.0.2:4053", AttemptStartedAtMs = 1_700_000_000_100 };
        var snapshot = new RunSnapshot("r", "env.main", RunStatus.Running, 1_700_000_000_000, 0, [action, plain], ["10.0.0.2:4053", "10.0.0.1:4053"]);

        var back = RunSnapshotCodec.Read(RunSnapshotCodec.Write(snapshot));

        Assert.Equal(["10.0.0.2:4053", "10.0.0.1:4053"], back.Nodes!);
        Assert.Equal([action with { EarlierAttempts = null }, plain], back.Actions.Select(a => a with { EarlierAttempts = null }));
        Assert.Equal(earlier, back.Actions[0].EarlierAttempts!);
        Assert.Null(back.Actions[1].EarlierAttempts);
    }

    [Fact]
    public void A_snapshot_of_another_version_is_refused_with_both_versions_named()
    {
        var bytes = RunSnapshotCodec.Write(new RunSnapshot("r", "env.main", RunStatus.Running, 1, 0, []));
        bytes[0] = 9;
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => RunSnapshotCodec.Read(bytes));
        Assert.Contains("version 9", error.Message);
    }

    [Theory]
    [InlineData("99999999999")] // Enum.Parse threw OverflowException on it (the serializer fuzz found it)
    [InlineData("7")] // a number no status has
    [InlineData("Running,Succeeded")] // a combination of two names
    [InlineData("running")] // names are written exactly
    public void A_status_that_names_no_status_is_refused_with_a_serialization_exception(string status)
    {
        var bytes = RunSnapshotCodec.Write(new RunSnapshot("r", "env.main", RunStatus.Running, 1, 0, []));
        var written = System.Text.Encoding.UTF8.GetBytes("Running");
        var at = bytes.AsSpan().IndexOf(written);
        var replaced = System.Text.Encoding.UTF8.GetBytes(status);
        // The status is a length-prefixed string: rewrite the prefix (one byte) and the name.
        var mutated = bytes[..(at - 1)].Append((byte)replaced.Length).Concat(replaced).Concat(bytes[(at + written.Length)..]).ToArray();

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => RunSnapshotCodec.Read(mutated));
        Assert.Contains($"RunStatus '{status}'", error.Message);
    }
}
