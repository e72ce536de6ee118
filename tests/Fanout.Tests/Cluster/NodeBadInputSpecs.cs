using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cluster;

/// <summary>The worker program refuses bad settings with a message naming the setting and a non-zero exit, never a hang.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeBadInputSpecs
{
    [Fact]
    public async Task A_malformed_seed_list_exits_2_naming_the_entry()
    {
        var (exit, output) = await NodeProgramRun.UntilExitAsync(NodeProgramRun.Env(("CLUSTER_SEEDS", "akka.tcp://fanout@127.0.0.1:4053,not-an-address")));
        Assert.Equal(2, exit);
        Assert.Contains("fanout-node: CLUSTER_SEEDS entry 'not-an-address' is not an Akka.NET address", output);
    }

    [Fact]
    public async Task A_negative_queue_bound_exits_2_naming_the_variable()
    {
        var (exit, output) = await NodeProgramRun.UntilExitAsync(NodeProgramRun.Env(("FANOUT_MAX_WAITING_ACTIONS", "-5")));
        Assert.Equal(2, exit);
        Assert.Contains("fanout-node: FANOUT_MAX_WAITING_ACTIONS '-5' must be a whole number from 0 to 2147483647", output);
    }

    [Fact]
    public async Task A_seed_of_another_actor_system_exits_2()
    {
        var (exit, output) = await NodeProgramRun.UntilExitAsync(NodeProgramRun.Env(("CLUSTER_SEEDS", "akka.tcp://other@127.0.0.1:4053")));
        Assert.Equal(2, exit);
        Assert.Contains("names actor system 'other'", output);
    }

    [Fact]
    public async Task Seeds_that_do_not_answer_exit_1_listing_them_after_the_join_timeout()
    {
        var seed = $"akka.tcp://fanout@127.0.0.1:{FreePorts.Next()}";
        var (exit, output) = await NodeProgramRun.UntilExitAsync(NodeProgramRun.Env(("CLUSTER_SEEDS", seed), ("CLUSTER_JOIN_TIMEOUT", "3")));
        Assert.Equal(1, exit);
        Assert.Contains($"Could not join any of the seed nodes [{seed}] within 3 s", output);
    }

    [Fact]
    public async Task A_journal_that_cannot_be_reached_exits_1_naming_the_database()
    {
        var port = FreePorts.Next();
        var (exit, output) = await NodeProgramRun.UntilExitAsync(NodeProgramRun.Env(("FANOUT_JOURNAL", "postgres"),
            ("FANOUT_CONNECTION_STRING", $"Host=127.0.0.1;Port={port};Username=fanout;Database=nowhere;Timeout=3")));
        Assert.Equal(1, exit);
        Assert.Contains($"The journal database cannot be reached: PostgreSQL 127.0.0.1:{port}/nowhere", output);
    }

    [Theory]
    [InlineData("FANOUT_JOURNAL", "mongo", "FANOUT_JOURNAL 'mongo' must be 'sqlite' or 'postgres'")]
    [InlineData("FANOUT_CONNECTION_STRING", "Host=;;;=oops", "not a valid PostgreSQL connection string")]
    [InlineData("FANOUT_TASK_ASSEMBLIES", "/nowhere/Tasks.dll", "FANOUT_TASK_ASSEMBLIES entry '/nowhere/Tasks.dll' does not exist")]
    [InlineData("CLUSTER_PORT", "70000", "CLUSTER_PORT '70000' must be a whole number from 0 to 65535")]
    [InlineData("FANOUT_PLACEMENT_TIMEOUT", "soon", "FANOUT_PLACEMENT_TIMEOUT 'soon' must be a number of seconds")]
    [InlineData("CLUSTER_ROLES", "gpu,bad role", "CLUSTER_ROLES entry 'bad role'")]
    [InlineData("FANOUT_AKKA_CONFIG", "akka { loglevel = ", "FANOUT_AKKA_CONFIG is not valid HOCON")]
    [InlineData("FANOUT_RUN_RETENTION", "soon", "FANOUT_RUN_RETENTION 'soon' is not an age")]
    public async Task A_bad_setting_exits_non_zero_naming_it(string key, string value, string message)
    {
        var env = NodeProgramRun.Env((key, value));
        if (key == "FANOUT_CONNECTION_STRING") env["FANOUT_JOURNAL"] = "postgres";
        var (exit, output) = await NodeProgramRun.UntilExitAsync(env);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, output);
    }
}
