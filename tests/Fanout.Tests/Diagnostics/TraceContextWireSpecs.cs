using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// The trace context on the wire: absent from untraced messages (no bytes, the format written before it
/// existed), read back from traced ones, and messages written before it existed still decode.
/// </summary>
public sealed class TraceContextWireSpecs() : TestKit(Actors.ActorSpecConfig.Hocon)
{
    private static readonly CallOptions Options = new(0, 0, 10, 100);
    private static readonly TraceContext Trace = new("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE");

    private FanoutSerializer Serializer => (FanoutSerializer)Sys.Serialization.FindSerializerFor(new RunAccepted("r"));

    [Fact]
    public void An_untraced_attempt_start_and_call_carry_no_trace_field()
    {
        object[] untraced =
        [
            new ExecuteAction("r/env.t#0", "r", "env.t", "3", 1, 0),
            new StartRun("r", "env.main", "1", Options),
            new StartChildren("r", "r", [new ChildCall("r/env.t#0", "env.t", null, "3", Options)], ActorRefs.Nobody),
        ];
        foreach (var message in untraced)
        {
            var json = Encoding.UTF8.GetString(Serializer.ToBinary(message));
            Assert.DoesNotContain("Trace", json);
            Assert.DoesNotContain("Group", json.Replace("\"Group\":null", "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void An_attempt_written_before_trace_context_existed_decodes_untraced()
    {
        const string before = """{"ActionId":"r/env.t#0","RunId":"r","TaskName":"env.t","InputJson":[3],"Attempt":2,"TimeoutMs":1500}""";

        var execute = (ExecuteAction)Serializer.FromBinary(Encoding.UTF8.GetBytes(before), "EA");

        Assert.Equal(new ExecuteAction("r/env.t#0", "r", "env.t", "3", 2, 1500), execute);
        Assert.Null(execute.Trace);
        Assert.Equal(before, Encoding.UTF8.GetString(Serializer.ToBinary(execute)));
    }

    [Fact]
    public void A_traced_attempt_and_call_keep_traceparent_tracestate_and_group()
    {
        var execute = (ExecuteAction)RoundTrip(new ExecuteAction("r/g/env.t#0", "r", "env.t", "3", 1, 0) { Trace = Trace, Group = "g" });
        Assert.Equal((Trace, "g"), (execute.Trace, execute.Group));

        var start = (StartChildren)RoundTrip(new StartChildren("r", "r",
            [new ChildCall("r/env.t#0", "env.t", null, "3", Options) { Trace = Trace with { State = null } }], ActorRefs.Nobody));
        Assert.Equal(Trace with { State = null }, start.Calls[0].Trace);

        Assert.Equal(Trace, ((StartRun)RoundTrip(new StartRun("r", "env.main", "1", Options) { Trace = Trace })).Trace);
    }

    private object RoundTrip(object message) => Serializer.FromBinary(Serializer.ToBinary(message), Serializer.Manifest(message));
}
