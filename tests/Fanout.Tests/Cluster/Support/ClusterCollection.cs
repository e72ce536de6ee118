namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// The multi-process cluster specs run one at a time, after the others: each starts several processes, and
/// on 2 shared cores the failure detector must not mistake a starved process for a dead one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "loopback cluster";
}
