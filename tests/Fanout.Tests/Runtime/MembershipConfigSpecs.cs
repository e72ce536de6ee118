using Fanout.Clustering;
using Fanout.Runtime;

namespace Fanout.Tests.Runtime;

/// <summary>What every member's configuration must agree on for membership to hold up (README: "Failure detection").</summary>
public sealed class MembershipConfigSpecs
{
    [Fact]
    public void A_client_counts_only_core_members_in_split_brain_decisions_and_is_not_one()
    {
        var config = RuntimeConfig.BuildClient(new FanoutClientOptions());

        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(FanoutRoles.Core, config.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.Equal([FanoutRoles.Client], config.GetStringList("akka.cluster.roles"));
    }

    [Theory]
    [InlineData("akka.cluster.use-dispatcher")]
    [InlineData("akka.remote.use-dispatcher")]
    public void Membership_and_remoting_run_on_threads_of_their_own_not_the_thread_pool_bodies_use(string setting)
    {
        var config = RuntimeConfig.BuildClient(new FanoutClientOptions());

        var dispatcher = config.GetConfig(config.GetString(setting));
        Assert.NotNull(dispatcher);
        Assert.Equal("fork-join-executor", dispatcher.GetString("executor"));
        Assert.True(dispatcher.GetInt("fork-join-executor.parallelism-max") >= 1);
    }
}
