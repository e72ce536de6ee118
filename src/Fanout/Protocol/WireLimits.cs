namespace Fanout.Protocol;

/// <summary>
/// How large a message between nodes may be, and how that bounds a payload. Akka.Remote drops a frame over
/// its <c>maximum-frame-size</c> with only a log line, leaving whoever waits for the message waiting forever,
/// so nothing may be sent that could exceed it.
/// </summary>
/// <remarks>
/// The arithmetic. A message carries at most one payload unless several small items share it:
/// <list type="bullet">
/// <item>the payload, at most <see cref="MaxPayloadBytes"/> as UTF-8 JSON, embedded as it is plus two bytes
/// (<see cref="EmbeddedJsonConverter"/>; no second escaping);</item>
/// <item>an error, at most <see cref="ErrorInfo.MaxWireBytes"/> (486 KiB, every character a six-byte escape);
/// a report carries a result or an error, never both, but both are counted;</item>
/// <item>ids, task and group names (ASCII, written as they are), numbers and property names: budgeted at
/// 64 KiB, far beyond any real nesting of action ids;</item>
/// <item>Akka.Remote's envelope around the serialized message (recipient and sender paths, manifest,
/// serializer id): under 4 KiB.</item>
/// </list>
/// 3 MiB + 2 B + 486 KiB + 64 KiB + 4 KiB is under 3.6 MiB, so <see cref="EnvelopeBytes"/> (1 MiB) around the
/// largest payload fits the 4 MiB frame with room to spare. Several items share a message only while their
/// weights add up to a chunk's bound (64 KiB), far below a frame. An item heavier than <see cref="MaxItemBytes"/>
/// can only come from a bug or a payload check skipped, and is never sent as it is
/// (<see cref="Runtime.WeightedChunks.SplitForWire{T}"/>).
/// </remarks>
internal static class WireLimits
{
    /// <summary>Akka.Remote's <c>maximum-frame-size</c> as Fanout configures it.</summary>
    public const int FrameBytes = 4 * 1024 * 1024;

    /// <summary>What a message may add around its one payload (see the remarks for the sum).</summary>
    public const int EnvelopeBytes = 1024 * 1024;

    /// <summary>The largest <c>MaxPayloadBytes</c> a node or client may set: a payload at it plus the largest envelope fit a frame.</summary>
    public const int MaxPayloadBytes = FrameBytes - EnvelopeBytes;

    /// <summary>The smallest <c>MaxPayloadBytes</c> a node or client may set.</summary>
    public const int MinPayloadBytes = 1024;

    /// <summary>
    /// The heaviest one item (as <see cref="Runtime.WeightedChunks.Of"/> weighs it) that may be sent: a frame less
    /// Akka.Remote's envelope and the message's own fields around its items.
    /// </summary>
    public const long MaxItemBytes = FrameBytes - 64 * 1024;
}
