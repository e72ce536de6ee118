using Akka.Actor;

namespace Fanout.Clustering;

/// <summary>Brings a new node into its cluster: a cluster of its own, or the one its seeds belong to.</summary>
internal static class ClusterJoin
{
    /// <summary>Joins and waits until this node is Up.</summary>
    /// <exception cref="FanoutException">No seed answered within <paramref name="timeout"/>; the message lists them.</exception>
    public static async Task JoinAsync(ActorSystem system, IReadOnlyList<Address> seeds, TimeSpan timeout, string seedsSetting,
        CancellationToken ct)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        // An app's own cluster settings (Fanout.Hosting) may name the seeds instead: the cluster joins them by itself.
        var configuredSeeds = system.Settings.Config.GetStringList("akka.cluster.seed-nodes", []);
        if (seeds.Count > 0) cluster.JoinSeedNodes(seeds);
        else if (configuredSeeds.Count == 0) cluster.Join(cluster.SelfAddress);

        // A node that cannot join shuts itself down (shutdown-after-unsuccessful-join-seed-nodes); so does
        // one that is downed while joining. Either way, it is not going to be Up.
        var gaveUp = system.WhenTerminated;
        var limit = Task.Delay(timeout + TimeSpan.FromSeconds(5), ct);
        var first = await Task.WhenAny(up.Task, gaveUp, limit).ConfigureAwait(false);
        if (first == up.Task) return;
        ct.ThrowIfCancellationRequested();
        throw new FanoutException(seeds.Count == 0
            ? $"The node at {cluster.SelfAddress} could not form its own cluster within {timeout.TotalSeconds:0} s"
            : $"Could not join any of the seed nodes [{string.Join(", ", seeds)}] within {timeout.TotalSeconds:0} s " +
              $"({seedsSetting}). Are they running, and reachable from this host at those addresses?");
    }
}
