namespace Fanout.Protocol;

/// <summary>
/// The run could not make what a command recorded durable: its journal write failed, so the run stops and
/// sharding starts it again from what the journal holds. The asker (a start, a cancel, a parent's batch of
/// calls) hears this at once instead of waiting out its ask, and asks again: every such command is
/// idempotent (a run id starts one run; a child call id is one action).
/// </summary>
internal sealed record RunUnavailable(string RunId, string Reason) : IFanoutMessage;
