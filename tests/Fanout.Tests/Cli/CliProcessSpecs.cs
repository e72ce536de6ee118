using Fanout.Tests.Support;

namespace Fanout.Tests.Cli;

/// <summary>The tool as a real process (<c>dotnet Fanout.Cli.dll ...</c>), as a shell runs it: exit codes and output through pipes.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class CliProcessSpecs(RuntimeFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private static async Task<(int Exit, string Output)> FanoutProcessAsync(IDictionary<string, string> environment, params string[] args)
    {
        using var process = HostProcess.Start("Fanout.Cli.dll", environment, args);
        var exit = await process.WaitForExitAsync(Within);
        return (exit, process.Output);
    }

    [Fact]
    public async Task A_run_started_waited_for_and_shown_from_the_shell()
    {
        var node = new Dictionary<string, string> { ["FANOUT_NODE"] = fixture.Runtime.BaseUrl!.ToString() };
        _ = CliTasks.Names;

        var (waited, waitOutput) = await FanoutProcessAsync(node, "run", CliTasks.Quick.Name, "--input", "3", "--wait");
        var runId = waitOutput.Split('\n')[0]["started run ".Length..].Trim();
        var (shown, showOutput) = await FanoutProcessAsync(node, "runs", "show", runId);
        var (failed, failOutput) = await FanoutProcessAsync(node, "run", CliTasks.Fails.Name, "--input", "\"from the shell\"", "--wait");

        Assert.True(waited == 0, waitOutput);
        Assert.StartsWith("started run ", waitOutput);
        Assert.Contains($"run {runId} succeeded", waitOutput);
        Assert.True(shown == 0, showOutput);
        Assert.Contains("status    succeeded", showOutput);
        Assert.True(failed == 1, failOutput);
        Assert.Contains("error: System.InvalidOperationException: failed on purpose: from the shell", failOutput);
    }

    [Fact]
    public async Task Usage_errors_and_a_silent_node_give_their_exit_codes_and_one_line_on_stderr()
    {
        var silent = new Dictionary<string, string> { ["FANOUT_NODE"] = $"http://127.0.0.1:{Cluster.Support.FreePorts.Next()}" };

        var (help, helpOutput) = await FanoutProcessAsync(silent, "runs", "watch", "--help");
        var (usage, usageOutput) = await FanoutProcessAsync(silent, "runs", "watch");
        var (unreachable, unreachableOutput) = await FanoutProcessAsync(silent, "cluster", "show");

        Assert.True(help == 0, helpOutput);
        Assert.Contains("fanout runs watch <id> [options]", helpOutput);
        Assert.True(usage == 2, usageOutput);
        Assert.Equal("stderr: fanout: Required argument 'id' missing for command: 'watch'. (see 'fanout runs watch --help')", usageOutput.Trim());
        Assert.True(unreachable == 1, unreachableOutput);
        Assert.Matches(@"^stderr: fanout: the node at http://127\.0\.0\.1:\d+/ does not answer \(Connection refused\)$", unreachableOutput.Trim());
    }
}
