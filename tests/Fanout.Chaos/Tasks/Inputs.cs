namespace Fanout.Chaos.Tasks;

// The tasks' inputs. Every body is named by its Key (the run's key, then the path to it), which is what
// the execution log records, so one body's executions can be counted across processes.

/// <summary>A leaf: returns <see cref="Spec.LeafValue"/> of its key after <paramref name="DelayMs"/>.</summary>
internal sealed record LeafInput(string Key, int Index, int DelayMs);

/// <summary>A flat fan-out of <paramref name="Width"/> leaves.</summary>
internal sealed record FanOutInput(string Key, int Width, int DelayMs);

/// <summary>A tree: <paramref name="Depth"/> levels of parents, <paramref name="Width"/> children each, leaves at the bottom.</summary>
internal sealed record NestedInput(string Key, int Depth, int Width, int DelayMs);

/// <summary><paramref name="Count"/> leaves through Workflow.Map, at most <paramref name="Concurrency"/> at once.</summary>
internal sealed record MapInput(string Key, int Count, int Concurrency, int DelayMs);

/// <summary><paramref name="Children"/> flaky children, child i failing its first <see cref="Spec.FailTimes"/>(i) executions.</summary>
internal sealed record RetriesInput(string Key, int Children, int DelayMs);

/// <summary>A flaky child: fails its first <paramref name="FailTimes"/> executions (counted across processes), then succeeds.</summary>
internal sealed record FlakyInput(string Key, int FailTimes, int DelayMs);

/// <summary><paramref name="Children"/> children gathered with returnExceptions; every child whose index is a multiple of 5 always fails.</summary>
internal sealed record ErrorsInput(string Key, int Children, int DelayMs);

/// <summary><paramref name="Phases"/> phases in turn, each of <paramref name="Shards"/> shard groups of <paramref name="PerShard"/> leaves.</summary>
internal sealed record GroupsInput(string Key, int Phases, int Shards, int PerShard, int DelayMs);
