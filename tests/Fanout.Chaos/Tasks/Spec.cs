namespace Fanout.Chaos.Tasks;

/// <summary>
/// The deterministic facts the tasks and the harness share: what a leaf returns, how long it takes and
/// how often a flaky child fails, all from its key or index. The harness computes each run's expected
/// result from these alone, without running anything.
/// </summary>
internal static class Spec
{
    /// <summary>A child's key under its parent's.</summary>
    public static string Child(string parent, string part) => $"{parent}/{part}";

    /// <summary>What the leaf named <paramref name="key"/> returns: a hash of the key (FNV-1a), so a result from the wrong leaf shows.</summary>
    public static long LeafValue(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash % 100_003;
    }

    /// <summary>How long the leaf named <paramref name="key"/> works: from a quarter of <paramref name="maxMs"/> up to it.</summary>
    public static int LeafDelay(string key, int maxMs) => maxMs / 4 + (int)(LeafValue(key) % (maxMs - maxMs / 4 + 1));

    /// <summary>How many executions flaky child <paramref name="index"/> fails before it succeeds: 0, 1 or 2.</summary>
    public static int FailTimes(int index) => index % 3;

    /// <summary>Whether child <paramref name="index"/> of an errors-as-values run always fails.</summary>
    public static bool AlwaysFails(int index) => index % 5 == 0;

    /// <summary>The message a failing child's exception carries.</summary>
    public static string FailureMessage(int index) => $"{index} is a multiple of 5";

    /// <summary>The group path of a groups run's shard.</summary>
    public static string GroupPath(int phase, int shard) => $"phase-{phase}/shard-{shard}";
}
