using System.CommandLine;
using Fanout.Cli;
using Fanout.Cli.Http;
using Fanout.Tests.Cluster.Support;

namespace Fanout.Tests.Cli;

/// <summary>The tool's command line, with no node behind it: help on every level, usage errors (exit 2) and a node that does not answer (exit 1).</summary>
public sealed class CliUsageSpecs
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    private static IEnumerable<string[]> VerbPaths(Command command, string[] path)
    {
        yield return path;
        foreach (var sub in command.Subcommands)
            foreach (var deeper in VerbPaths(sub, [.. path, sub.Name]))
                yield return deeper;
    }

    [Fact]
    public async Task Every_level_answers_help_with_its_usage_and_the_common_options()
    {
        var root = FanoutCli.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null, interactive: false));
        var paths = VerbPaths(root, []).ToList();
        Assert.True(paths.Count >= 25, $"expected every verb of the issue, found {paths.Count} levels");

        foreach (var path in paths)
        {
            var result = await CliInvocation.RunAsync([.. path, "--help"], NoEnvironment);
            Assert.True(result.ExitCode == 0, $"'{string.Join(' ', path)} --help': {result}");
            Assert.Contains($"Usage:\n  {string.Join(' ', ["fanout", .. path])}", result.Out.ReplaceLineEndings("\n"));
            Assert.Contains("--node <url>", result.Out);
            Assert.Contains("--json", result.Out);
        }
    }

    [Fact]
    public async Task The_issue_verbs_are_all_there()
    {
        var root = FanoutCli.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null, interactive: false));
        var verbs = VerbPaths(root, []).Select(p => string.Join(' ', p)).ToHashSet();
        string[] issue =
        [
            "cluster show", "cluster status", "cluster leader", "cluster leave", "cluster down", "cluster down-unreachable",
            "cluster join", "cluster tail", "cluster-sharding regions", "cluster-sharding region-stats", "cluster-sharding shard-stats",
            "actor hierarchy", "tasks", "run", "runs list", "runs show", "runs actions", "runs watch", "runs cancel",
        ];
        Assert.Subset(verbs, issue.ToHashSet());
    }

    [Theory]
    [InlineData("Required argument 'id' missing", "fanout runs show --help", "runs", "show")]
    [InlineData("Unrecognized command or argument 'nonsense'", "fanout --help", "nonsense")]
    [InlineData("Required command was not provided", "fanout --help")]
    [InlineData("Argument 'sleeping' not recognized. Must be one of: 'queued'", "fanout runs actions --help", "runs", "actions", "r1", "--status", "sleeping")]
    [InlineData("--limit must be between 1 and 500", "fanout runs list --help", "runs", "list", "--limit", "501")]
    [InlineData("Option '--region' is required", "fanout cluster-sharding region-stats --help", "cluster-sharding", "region-stats")]
    [InlineData("--depth must be between 1 and 10", "fanout actor hierarchy --help", "actor", "hierarchy", "-d", "11")]
    [InlineData("Cannot parse argument 'ten' for option '--offset'", "fanout runs actions --help", "runs", "actions", "r1", "--offset", "ten")]
    public async Task A_wrong_command_line_is_one_line_on_stderr_and_exit_2(string problem, string hint, params string[] args)
    {
        var result = await CliInvocation.RunAsync(args, NoEnvironment);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrLines);
        Assert.StartsWith("fanout: ", line);
        Assert.Contains(problem, line);
        Assert.EndsWith($"(see '{hint}')", line);
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData("not-a-url")]
    [InlineData("ftp://127.0.0.1:8081")]
    [InlineData("http://127.0.0.1:8081/?x=1")]
    [InlineData("127.0.0.1:8081")]
    public async Task A_malformed_node_url_is_a_usage_error_naming_where_it_came_from(string url)
    {
        var fromOption = await CliInvocation.RunAsync(["--node", url, "tasks"], NoEnvironment);
        var fromEnvironment = await CliInvocation.RunAsync(["cluster", "show"], new Dictionary<string, string> { [NodeAddress.EnvironmentVariable] = url });

        Assert.Equal(2, fromOption.ExitCode);
        Assert.StartsWith($"fanout: --node '{url}' ", Assert.Single(fromOption.ErrLines));
        Assert.Equal(2, fromEnvironment.ExitCode);
        Assert.StartsWith($"fanout: FANOUT_NODE '{url}' ", Assert.Single(fromEnvironment.ErrLines));
    }

    [Fact]
    public async Task A_node_that_does_not_answer_is_one_line_naming_it_and_exit_1_for_every_kind_of_verb()
    {
        var silent = $"http://127.0.0.1:{FreePorts.Next()}/";
        string[][] verbs =
        [
            ["tasks"], ["run", "cli.quick", "--input", "1"], ["runs", "list"], ["runs", "show", "r1"], ["runs", "watch", "r1"],
            ["cluster", "show"], ["cluster", "tail"], ["cluster", "leave", "akka.tcp://fanout@127.0.0.1:4055"], ["actor", "hierarchy"],
        ];
        foreach (var verb in verbs)
        {
            // From FANOUT_NODE as well as --node: the environment variable is the default.
            var result = await CliInvocation.RunAsync(verb, new Dictionary<string, string> { [NodeAddress.EnvironmentVariable] = silent });
            Assert.True(result.ExitCode == 1, $"'{string.Join(' ', verb)}': {result}");
            Assert.Equal($"fanout: the node at {silent} does not answer (Connection refused)", Assert.Single(result.ErrLines));
            Assert.Empty(result.Out);
        }
    }

    [Fact]
    public void The_node_defaults_to_the_local_cluster_first_worker_then_FANOUT_NODE_then_the_option()
    {
        Assert.True(NodeAddress.TryResolve(null, _ => null, out var byDefault, out _));
        Assert.True(NodeAddress.TryResolve(null, _ => "http://10.1.2.3:9000", out var fromEnvironment, out _));
        Assert.True(NodeAddress.TryResolve("https://node-a:8443/base", _ => "http://10.1.2.3:9000", out var fromOption, out _));

        // deploy/local-cluster.sh: worker i serves HTTP on 8080+i.
        Assert.Equal("http://127.0.0.1:8081/", byDefault!.ToString());
        Assert.Contains("8080+i", File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "local-cluster.sh")));
        Assert.Equal("http://10.1.2.3:9000/", fromEnvironment!.ToString());
        Assert.Equal("https://node-a:8443/base/", fromOption!.ToString());
    }
}
