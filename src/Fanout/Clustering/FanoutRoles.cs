namespace Fanout.Clustering;

/// <summary>The cluster roles Fanout gives its own members; users add their own roles to workers for placement.</summary>
internal static class FanoutRoles
{
    /// <summary>A runtime node: hosts runs (sharded) and runs actions on its executor.</summary>
    public const string Worker = "fanout-worker";

    /// <summary>An app's client member: submits runs and reads them, hosts nothing.</summary>
    public const string Client = "fanout-client";
}
