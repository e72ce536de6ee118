namespace Fanout.Protocol;

/// <summary>
/// A W3C trace context (<c>traceparent</c>, <c>tracestate</c>) carried in the messages that start a run, a
/// child or an attempt, so an attempt's span is parented to its parent's attempt span across nodes. Only
/// sent when the sender had a listener on Fanout's activity source; absent (null) otherwise, so older
/// payloads and untraced runs read the same.
/// </summary>
internal sealed record TraceContext(string Parent, string? State = null);
