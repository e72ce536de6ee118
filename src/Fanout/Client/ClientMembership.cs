using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace Fanout;

/// <summary>
/// Watches whether a client is still a member of its cluster. A downed member cannot come back (Akka.NET
/// needs a new actor system for that), and an ask sent from a stopped system is only ever answered by its
/// timeout, which <see cref="Runtime.RunClient.WaitAsync"/> would retry forever: so once the client is out,
/// every call fails at once with a <see cref="ClientRemovedException"/> saying so.
/// </summary>
internal sealed class ClientMembership
{
    private readonly CancellationTokenSource _removed = new();
    private readonly ActorSystem _system;
    private volatile bool _leaving;
    private readonly ILogger _log;
    private Exception? _error;

    private ClientMembership(ActorSystem system, ILogger log)
    {
        _system = system;
        _log = log;
    }

    /// <summary>Fires when the client stops being a member without being disposed.</summary>
    public CancellationToken Removed => _removed.Token;

    /// <summary>Starts watching a client that is Up.</summary>
    public static ClientMembership Watch(ActorSystem system, ILogger log)
    {
        var membership = new ClientMembership(system, log);
        // Removed comes first when the cluster downs the client; the system's end covers every other way out.
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberRemoved(membership.OnGone);
        system.WhenTerminated.ContinueWith(_ => membership.OnGone(), TaskScheduler.Default);
        return membership;
    }

    /// <summary>The app disposes the client: its leave is no removal.</summary>
    public void Leaving() => _leaving = true;

    /// <summary>Throws the removal (or disposal) as the calls of a removed client must.</summary>
    public void ThrowIfGone()
    {
        if (Volatile.Read(ref _error) is { } error) throw error;
        if (_leaving) throw new ObjectDisposedException(nameof(FanoutClient));
    }

    /// <summary>
    /// Runs <paramref name="call"/> (an ask to the cluster) so that it fails with <see cref="ClientRemovedException"/>
    /// as soon as the client is removed, instead of waiting for its timeout.
    /// </summary>
    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        ThrowIfGone();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _removed.Token);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_removed.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw Volatile.Read(ref _error)!;
        }
    }

    private void OnGone()
    {
        if (_leaving || Volatile.Read(ref _error) is not null) return;
        var reason = CoordinatedShutdown.Get(_system).ShutdownReason is { } shutdown
            ? DescribeReason(shutdown)
            : "downed or quarantined by the cluster: the workers could not hear from it for several seconds, " +
              "or it was on the losing side of a split";
        var error = new ClientRemovedException(Akka.Cluster.Cluster.Get(_system).SelfAddress.ToString(), reason);
        if (Interlocked.CompareExchange(ref _error, error, null) is not null) return;
        _log.LogError("{Message}", error.Message);
        _removed.Cancel();
    }

    private static string DescribeReason(CoordinatedShutdown.Reason reason) => reason switch
    {
        CoordinatedShutdown.ClusterDowningReason => "downed by the cluster: the workers could not hear from it for several seconds, " +
                                                    "or it was on the losing side of a split",
        CoordinatedShutdown.ClusterJoinUnsuccessfulReason => "it could not rejoin the cluster",
        _ => $"its actor system stopped: {reason}",
    };
}
