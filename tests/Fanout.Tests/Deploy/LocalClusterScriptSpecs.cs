using System.Diagnostics;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.Deploy;

/// <summary>deploy/local-cluster.sh, as a user runs it: it builds, starts the cluster on loopback, runs a sample, and stops.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalClusterScriptSpecs
{
    [Fact]
    public async Task The_script_starts_a_cluster_on_PostgreSQL_runs_a_sample_to_success_and_stops_it()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "deploy", "local-cluster.sh"), "--smoke"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
            Environment = { ["FANOUT_CONNECTION_STRING"] = db.ConnectionString },
        };
        using var script = Process.Start(info)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await script.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;

        Assert.True(script.ExitCode == 0, $"the script exited {script.ExitCode}:\n{output}");
        Assert.Contains("journal: PostgreSQL", output);
        Assert.Matches(@"run r\w+ succeeded: .*""totalActions"":51", output);
        Assert.Contains("smoke: passed", output);
    }
}
