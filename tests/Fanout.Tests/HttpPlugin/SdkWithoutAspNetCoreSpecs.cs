using System.Reflection;
using System.Text.Json;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpPlugin;

/// <summary>
/// The SDK (the Fanout assembly) needs no ASP.NET Core: an app that only runs or submits work does not carry a web
/// server. The HTTP API and the run pages are in Fanout.Http, which references it instead.
/// </summary>
public sealed class SdkWithoutAspNetCoreSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public void The_sdk_assembly_references_no_ASP_NET_Core_assembly_and_Fanout_Http_does()
    {
        static string[] AspNetCore(Assembly assembly) => assembly.GetReferencedAssemblies()
            .Select(a => a.Name!).Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToArray();

        Assert.Empty(AspNetCore(typeof(FanoutRuntime).Assembly));
        // The same look finds them where they are: the check is not blind.
        Assert.Contains("Microsoft.AspNetCore.Http.Abstractions", AspNetCore(Assembly.Load("Fanout.Http")));
    }

    [Fact]
    public async Task A_client_only_app_runs_on_the_base_framework_and_loads_no_ASP_NET_Core()
    {
        // Fanout.ClusterApp references only the SDK: the build puts it on Microsoft.NETCore.App alone.
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(RepoPaths.TestProgram("Fanout.ClusterApp"), ".runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var many)
            ? many.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray()
            : [options.GetProperty("framework").GetProperty("name").GetString()!];
        Assert.Equal(["Microsoft.NETCore.App"], frameworks);

        // It connects to this process's runtime as a client, runs a fan-out there and lists what it loaded.
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var runtimeOptions = journal.Options();
        runtimeOptions.HttpPort = null;
        runtimeOptions.TaskAssemblies.Add(typeof(ClusterTasks).Assembly);
        await using var runtime = await FanoutRuntime.StartEmbeddedAsync(runtimeOptions);
        var seed = Akka.Cluster.Cluster.Get(runtime.ActorSystem).SelfAddress.ToString();
        using var app = HostProcess.Start(RepoPaths.TestProgram("Fanout.ClusterApp"), new Dictionary<string, string>(), seed, "fan", "3");

        var result = await app.WaitForLineAsync("result ", Within);
        Assert.Equal([0, 2, 4], JsonSerializer.Deserialize<Ran[]>(result["result ".Length..])!.Select(r => r.Value));
        var loaded = (await app.WaitForLineAsync("assemblies ", Within))["assemblies ".Length..].Split(' ');
        Assert.Equal(0, await app.WaitForExitAsync(Within));
        Assert.Contains("Fanout", loaded);
        Assert.Contains("Akka.Cluster", loaded);
        Assert.DoesNotContain(loaded, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain("Fanout.Http", loaded);
    }
}
