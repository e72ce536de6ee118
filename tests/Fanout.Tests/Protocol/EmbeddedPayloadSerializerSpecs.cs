using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;

namespace Fanout.Tests.Protocol;

/// <summary>
/// Messages carry payload JSON as JSON, at about the payload's size, and still read the form written before
/// (the payload as an escaped JSON string), which journals hold.
/// </summary>
public sealed class EmbeddedPayloadSerializerSpecs() : TestKit(Actors.ActorSpecConfig.Hocon)
{
    private static readonly CallOptions Options = new(2, 1500, 100, 60_000);

    // As FanoutSerializer wrote every message before payloads were embedded (its actor references aside).
    private static readonly JsonSerializerOptions FormerOptions = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly string Text = string.Concat(Enumerable.Repeat("\"é€😀 ", 10_000)) + "<script>\\</script>";
    private static readonly string QuotedText = Fanout.Runtime.PayloadJson.Serialize(Text);

    public static IEnumerable<object[]> PayloadShapes() =>
    [
        ["\"x\""], // a payload that is itself a JSON string
        ["\"\""],
        ["3"], ["-1.5e3"], ["true"], ["null"],
        ["{\"a\":[1,{\"b\":\"é\\\"\"}]}"],
        ["[]"],
        ["\"\\u00E9\\u0022 old escapes kept as written\""],
    ];

    [Theory]
    [MemberData(nameof(PayloadShapes))]
    public void Every_shape_of_payload_comes_back_exactly_as_written(string payload)
    {
        var back = RoundTrip(new AttemptFinished("r", "r/env.t#0", 1, OutcomeKind.Succeeded, payload, null, false));
        Assert.Equal(payload, back.ResultJson);

        var execute = RoundTrip(new ExecuteAction("r/env.t#0", "r", "env.t", payload, 1, 0));
        Assert.Equal(payload, execute.InputJson);
    }

    [Fact]
    public void A_message_is_its_payload_s_size_plus_its_fields_not_a_multiple_of_it()
    {
        var payloadBytes = Encoding.UTF8.GetByteCount(QuotedText);
        var messages = new object[]
        {
            new AttemptFinished("r", "r/env.t#0", 1, OutcomeKind.Succeeded, QuotedText, null, false),
            new ChildResults("r", [new ChildOutcome("r/env.t#0", "env.t", OutcomeKind.Succeeded, QuotedText, null, 1)]),
            new ExecuteAction("r/env.t#0", "r", "env.t", QuotedText, 1, 0),
            new StartChildren("r", "r", [new ChildCall("r/env.t#0", "env.t", null, QuotedText, Options)], ActorRefs.Nobody),
            new StartRun("r", "env.t", QuotedText, Options),
            new RunOutcome("r", RunStatus.Succeeded, QuotedText, null, null, null, 1, true),
            new LedgerBatch([new LedgerEntry(LedgerEntryKind.ActionSucceeded, 1) { ActionId = "r/env.t#0", ResultJson = QuotedText }]),
        };

        foreach (var message in messages)
        {
            var bytes = Serializer(message).ToBinary(message).Length;
            Assert.InRange(bytes, payloadBytes, payloadBytes + 400);
        }
        // Before: the payload as the default encoder wrote it, escaped again inside a string.
        var formerPayload = JsonSerializer.Serialize(Text);
        var former = JsonSerializer.SerializeToUtf8Bytes(
            new AttemptFinished("r", "r/env.t#0", 1, OutcomeKind.Succeeded, formerPayload, null, false), FormerOptions).Length;
        // (each six-byte escape gains a seventh byte for its backslash): three times the payload.
        Assert.True(former > 2.9 * payloadBytes, $"the former form was {former:N0} bytes for a {payloadBytes:N0}-byte payload");
    }

    public static IEnumerable<object[]> FormerMessages() =>
    [
        [new LedgerBatch([
            new LedgerEntry(LedgerEntryKind.ActionRequested, 2)
            {
                ActionId = "r/env.t#0", ParentId = "r", TaskName = "env.t", Group = "g", InputJson = "{\"a\":\"é\"}", Options = Options,
            },
            new LedgerEntry(LedgerEntryKind.ActionSucceeded, 3) { ActionId = "r/env.t#0", ResultJson = "\"x\"" },
            new LedgerEntry(LedgerEntryKind.AttemptFailed, 3) { ActionId = "r/env.t#0", Error = new ErrorInfo("E", "\"quoted\" é", "at X()") },
        ])],
        [new AttemptFinished("r", "r/env.t#0", 1, OutcomeKind.Succeeded, "[1,\"é\"]", null, false)],
        [new ChildResults("r", [new ChildOutcome("r/env.t#0", "env.t", OutcomeKind.Succeeded, "\"x\"", null, 1)])],
        [new ExecuteAction("r/env.t#0", "r", "env.t", "{\"k\":\"\\\"\"}", 1, 1500)],
        [new RunOutcome("r", RunStatus.Succeeded, "12", null, null, null, 1, true)],
        [new StartRun("r", "env.t", "\"é\"", Options)],
    ];

    [Theory]
    [MemberData(nameof(FormerMessages))]
    public void A_message_or_journal_event_in_the_former_form_still_reads(object message)
    {
        var serializer = Serializer(message);
        var former = JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), FormerOptions);
        Assert.Contains("Json\":\"", Encoding.UTF8.GetString(former)); // the payload was a string

        var back = serializer.FromBinary(former, serializer.Manifest(message));

        Assert.Equal(Json(message), Json(back));
    }

    [Fact]
    public void A_journal_row_written_before_reads_back()
    {
        // Bytes as the former serializer wrote them, payloads as escaped strings (default encoder).
        const string row =
            "{\"Entries\":[{\"Kind\":\"ActionRequested\",\"AtMs\":2,\"ActionId\":\"r/env.t#0\",\"ParentId\":\"r\",\"TaskName\":\"env.t\"," +
            "\"InputJson\":\"{\\u0022a\\u0022:\\u0022\\\\u00E9\\u0022}\",\"Attempt\":0," +
            "\"Options\":{\"Retries\":2,\"TimeoutMs\":1500,\"BackoffMs\":100,\"MaxBackoffMs\":60000}}," +
            "{\"Kind\":\"ActionSucceeded\",\"AtMs\":3,\"ActionId\":\"r/env.t#0\",\"ResultJson\":\"\\u0022x\\u0022\",\"Attempt\":0}]}";
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(LedgerBatch));

        var batch = (LedgerBatch)serializer.FromBinary(Encoding.UTF8.GetBytes(row), "L");

        Assert.Equal("{\"a\":\"\\u00E9\"}", batch.Entries[0].InputJson);
        Assert.Equal("\"x\"", batch.Entries[1].ResultJson);
        Assert.Equal(Options, batch.Entries[0].Options);
    }

    [Fact]
    public void A_payload_that_is_not_one_JSON_value_is_refused_when_written_not_sent_unreadable()
    {
        var message = new AttemptFinished("r", "r/env.t#0", 1, OutcomeKind.Succeeded, "{\"a\":", null, false);

        Assert.ThrowsAny<Exception>(() => Serializer(message).ToBinary(message));
    }

    [Fact]
    public void Error_texts_are_not_escaped_beyond_what_JSON_requires()
    {
        var message = new AttemptFinished("r", "r/env.t#0", 1, OutcomeKind.Failed, null,
            new ErrorInfo("E", string.Concat(Enumerable.Repeat("é€😀", 1000)), null), true);

        var bytes = Serializer(message).ToBinary(message).Length;

        Assert.InRange(bytes, 9 * 1000, 9 * 1000 + 200);
    }

    private T RoundTrip<T>(T message) where T : notnull
    {
        var serializer = Serializer(message);
        return (T)serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));
    }

    private SerializerWithStringManifest Serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        return Assert.IsType<FanoutSerializer>(serializer);
    }

    // Records holding lists compare by reference, so compare their JSON instead.
    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), FormerOptions);
}
