using System.Text.Json;
using Fanout;
using Fanout.ClusterApp;

// An app that uses a Fanout cluster: connects as a client, runs one fan-out and prints its result.
//   Fanout.ClusterApp <seed> <fan|fan_gpu> <count> [delayMs]
if (args.Length is < 3 or > 4 || args[1] is not ("fan" or "fan_gpu") || !int.TryParse(args[2], out var count))
{
    Console.Error.WriteLine("usage: Fanout.ClusterApp <seed> <fan|fan_gpu> <count> [delayMs]");
    return 2;
}
var delay = args.Length == 4 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0;

try
{
    await using var client = await FanoutClient.ConnectAsync(args[0]);
    Console.WriteLine($"connected as {Akka.Cluster.Cluster.Get(client.ActorSystem).SelfAddress}");
    var task = args[1] == "fan" ? ClusterTasks.FanOut : ClusterTasks.FanOutToGpu;
    var run = await client.RunAsync(task, new Fan(count, delay));
    Console.WriteLine($"run {run.Id}");
    Ran[] result;
    try
    {
        result = await run.WaitAsync();
    }
    catch (ClientRemovedException removed)
    {
        // The cluster removed this app (it stalled, say); the run went on without it: connect again and find it by id.
        Console.WriteLine($"removed: {removed.Message}");
        await using var again = await FanoutClient.ConnectAsync(args[0]);
        Console.WriteLine($"reconnected as {Akka.Cluster.Cluster.Get(again.ActorSystem).SelfAddress}");
        result = await again.GetRun<Ran[]>(run.Id).WaitAsync();
    }
    Console.WriteLine($"result {JsonSerializer.Serialize(result)}");
    // What a client-only app loaded, for the spec that checks it needs no ASP.NET Core (the SDK does not reference it).
    Console.WriteLine($"assemblies {string.Join(' ', AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Order())}");
    return 0;
}
catch (FanoutException e)
{
    Console.Error.WriteLine($"cluster-app: {e.Message}");
    return 1;
}
