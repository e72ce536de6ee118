using Akka.Actor;
using Fanout.Clustering;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// Two runtime nodes in this process, joined over remoting on loopback (the first is the seed) and sharing one
/// PostgreSQL journal: messages between them cross a real Akka.Remote connection and Fanout's serializer.
/// </summary>
internal sealed class TwoNodeCluster : IAsyncDisposable
{
    private static readonly TimeSpan UpWithin = TimeSpan.FromSeconds(60);

    private readonly PostgresDatabase _db;

    private TwoNodeCluster(PostgresDatabase db, FanoutRuntime first, FanoutRuntime second)
    {
        _db = db;
        First = first;
        Second = second;
    }

    public FanoutRuntime First { get; }
    public FanoutRuntime Second { get; }

    /// <summary>Each node as a run's ledger and the executor gauges name it: host:port.</summary>
    public IReadOnlyList<string> NodeNames => [NameOf(First), NameOf(Second)];

    public static async Task<TwoNodeCluster> StartAsync(params System.Reflection.Assembly[] taskAssemblies)
    {
        var db = await PostgresDatabase.CreateAsync();
        FanoutRuntime? first = null;
        try
        {
            var seedPort = FreePorts.Next();
            first = await FanoutRuntime.StartEmbeddedAsync(Options(db, seedPort, seedPort, taskAssemblies));
            var second = await FanoutRuntime.StartEmbeddedAsync(Options(db, 0, seedPort, taskAssemblies));
            var cluster = new TwoNodeCluster(db, first, second);
            await cluster.ExecutorsVisibleAsync();
            return cluster;
        }
        catch
        {
            if (first is not null) await first.DisposeAsync();
            await db.DisposeAsync();
            throw;
        }
    }

    private static FanoutRuntimeOptions Options(PostgresDatabase db, int port, int seedPort, System.Reflection.Assembly[] taskAssemblies)
    {
        var options = new FanoutRuntimeOptions
        {
            Journal = FanoutJournal.PostgreSql,
            ConnectionString = db.ConnectionString,
            Port = port,
            Seeds = { $"akka.tcp://fanout@127.0.0.1:{seedPort}" },
            HttpPort = null,
        };
        foreach (var assembly in taskAssemblies) options.TaskAssemblies.Add(assembly);
        return options;
    }

    /// <summary>Waits until both nodes' directories list both executors, so a run may place actions on either.</summary>
    private async Task ExecutorsVisibleAsync()
    {
        foreach (var node in new[] { First, Second })
        {
            var directory = await node.ActorSystem.ActorSelection($"/user/{ExecutorDirectory.Name}").ResolveOne(UpWithin);
            await Eventually.Value(
                async () => (await directory.Ask<ExecutorsChanged>(GetExecutors.Instance, TimeSpan.FromSeconds(10))).Executors.Length,
                n => n == 2, UpWithin, $"the node at {NameOf(node)} to list both executors");
        }
    }

    private static string NameOf(FanoutRuntime node)
    {
        var address = Akka.Cluster.Cluster.Get(node.ActorSystem).SelfAddress;
        return $"{address.Host}:{address.Port}";
    }

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await _db.DisposeAsync();
    }
}
