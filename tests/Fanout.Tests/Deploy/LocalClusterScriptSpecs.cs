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
        try
        {
            await Deadlines.Within(TimeSpan.FromMinutes(6), "deploy/local-cluster.sh --smoke to exit", script.WaitForExitAsync);
        }
        catch (TimeoutException)
        {
            script.Kill(entireProcessTree: true); // and the cluster it started
            throw;
        }
        var output = await stdout.Within(TimeSpan.FromMinutes(1), "the end of the script's output (a process it started holds it open)")
                     + await stderr.Within(TimeSpan.FromMinutes(1), "the end of the script's error output (a process it started holds it open)");

        Assert.True(script.ExitCode == 0, $"the script exited {script.ExitCode}:\n{output}");
        Assert.Contains("journal: PostgreSQL", output);
        Assert.Matches(@"run r\w+ succeeded: .*""totalActions"":51", output);
        Assert.Contains("smoke: passed", output);
    }
}
