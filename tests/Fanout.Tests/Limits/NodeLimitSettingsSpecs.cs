using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.Limits;

/// <summary>The worker program reads the limits from its environment and refuses a bad one naming the variable (exit 2).</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeLimitSettingsSpecs
{
    [Theory]
    [InlineData("FANOUT_MAX_ACTIONS_PER_RUN", "0", "FANOUT_MAX_ACTIONS_PER_RUN '0' must be a whole number from 1 to 2147483647")]
    [InlineData("FANOUT_MAX_RUNS_IN_FLIGHT", "lots", "FANOUT_MAX_RUNS_IN_FLIGHT 'lots' must be a whole number from 1 to 2147483647")]
    [InlineData("FANOUT_MAX_PAYLOAD_BYTES", "99999999", "FANOUT_MAX_PAYLOAD_BYTES '99999999' must be a whole number from 1024 to 3145728")]
    public async Task A_bad_limit_exits_2_naming_the_variable(string key, string value, string expected)
    {
        var (exit, output) = await NodeProgramRun.UntilExitAsync(NodeProgramRun.Env((key, value)));

        Assert.Equal(2, exit);
        Assert.Contains($"fanout-node: {expected}", output);
    }
}
