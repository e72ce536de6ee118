namespace Fanout.Benchmarks.Scenarios;

/// <summary>
/// Every scenario makes one untimed run of this many actions in its fresh runtime before the timed
/// one, so the timed run does not pay for JIT compilation, the first shard allocations or the first
/// journal writes.
/// </summary>
internal static class WarmUp
{
    public const int Actions = 1_000;
}
