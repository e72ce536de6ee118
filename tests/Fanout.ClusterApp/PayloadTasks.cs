using System.Text;

namespace Fanout.ClusterApp;

/// <summary>Text a leaf produced, and the node that produced it.</summary>
public sealed record Sample(string Node, string Text);

/// <summary>What a parent received from one leaf: where it ran, how large its text was, and whether it arrived whole.</summary>
public sealed record Received(int Position, string Node, long Utf8Bytes, bool Intact);

/// <summary>The node a relay ran on and what it received from each leaf.</summary>
public sealed record Relayed(string ParentNode, Received[] Leaves);

/// <summary>What one call of a gather with returnExceptions ended as: a result's size, or the exception's type and message.</summary>
public sealed record Ended(bool Succeeded, long Utf8Bytes, string? RemoteType, string? Message);

/// <summary>
/// Tasks whose results are large and made of what JSON and its default encoder expand most: quotes,
/// accented letters, the euro sign and emoji.
/// </summary>
public static class PayloadTasks
{
    /// <summary>One repeat of the text: as JSON escaped only as required, 12 bytes (\" é € 😀 and a space).</summary>
    public const string Unit = "\"é€😀 ";

    public const int UnitJsonBytes = 12;

    public static readonly TaskEnvironment Env = new("payload");

    /// <summary>A leaf returning <see cref="TextOf"/> its input (bytes of JSON), with its node.</summary>
    public static readonly TaskDefinition<int, Sample> Produce = Env.Task("text",
        (int jsonBytes) => Task.FromResult(new Sample(Trace.Node, TextOf(jsonBytes))));

    /// <summary>Calls <c>leaves</c> leaves of <c>jsonBytes</c> each and checks what arrived against what was sent.</summary>
    public static readonly TaskDefinition<(int Leaves, int JsonBytes), Relayed> Relay = Env.Task("relay",
        async ((int Leaves, int JsonBytes) order) =>
        {
            var samples = await Workflow.Gather(Enumerable.Range(0, order.Leaves).Select(_ => Produce.InvokeAsync(order.JsonBytes)));
            var expected = TextOf(order.JsonBytes);
            var received = samples.Select((s, i) => new Received(i, s.Node, Encoding.UTF8.GetByteCount(s.Text), s.Text == expected));
            return new Relayed(Trace.Node, received.ToArray());
        });

    /// <summary>Calls a leaf per size given, and reports how each call ended, failures included.</summary>
    public static readonly TaskDefinition<int[], Ended[]> Mixed = Env.Task("mixed", async (int[] sizes) =>
    {
        var outcomes = await Workflow.Gather(sizes.Select(size => Produce.InvokeAsync(size)), returnExceptions: true);
        return outcomes.Select(o => o.IsSuccess
            ? new Ended(true, Encoding.UTF8.GetByteCount(o.Value!.Text), null, null)
            : o.Exception is ActionFailedException failed
                ? new Ended(false, 0, failed.RemoteType, failed.RemoteMessage)
                : new Ended(false, 0, o.Exception!.GetType().FullName, o.Exception.Message)).ToArray();
    });

    /// <summary>Text whose JSON string (quotes included, escaped only as JSON requires) is about <paramref name="jsonBytes"/> bytes.</summary>
    public static string TextOf(int jsonBytes) => new StringBuilder(jsonBytes).Insert(0, Unit, Math.Max(0, (jsonBytes - 2) / UnitJsonBytes)).ToString();
}
