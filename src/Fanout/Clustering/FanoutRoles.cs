namespace Fanout.Clustering;

/// <summary>The cluster roles Fanout gives its own members; users add their own roles to workers for placement.</summary>
internal static class FanoutRoles
{
    /// <summary>A runtime node: hosts runs (sharded) and runs actions on its executor.</summary>
    public const string Worker = "fanout-worker";

    /// <summary>
    /// The members the split-brain resolver counts: workers and lighthouses, never app clients, whose number
    /// and whereabouts say nothing about which side of a split should keep running. Every member's
    /// <c>split-brain-resolver.keep-majority.role</c> names it (the lighthouse's config spells it out too).
    /// </summary>
    public const string Core = "fanout-core";

    /// <summary>An app's client member: submits runs and reads them, hosts nothing.</summary>
    public const string Client = "fanout-client";
}
