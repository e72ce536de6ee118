using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cluster;

/// <summary>An app's client refuses what cannot work with a clear error instead of hanging.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientBadInputSpecs
{
    [Fact]
    public async Task Seeds_that_do_not_answer_fail_the_connect_listing_them()
    {
        var seed = $"akka.tcp://fanout@127.0.0.1:{FreePorts.Next()}";
        var options = new FanoutClientOptions { Seeds = { seed }, JoinTimeout = TimeSpan.FromSeconds(2) };

        var error = await Assert.ThrowsAsync<FanoutException>(() => FanoutClient.ConnectAsync(options))
            .Within(TimeSpan.FromSeconds(60), "the connect to seeds that do not answer to fail");

        Assert.Contains($"Could not join any of the seed nodes [{seed}] within 2 s (FanoutClientOptions.Seeds)", error.Message);
    }

    [Theory]
    [InlineData("lighthouse:4053", "Seeds entry 'lighthouse:4053' must be akka.tcp://fanout@host:port")]
    [InlineData("not an address", "Seeds entry 'not an address' is not an Akka.NET address")]
    [InlineData("akka.tcp://other@127.0.0.1:4053", "names actor system 'other'")]
    public async Task A_malformed_seed_is_refused_before_anything_starts(string seed, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FanoutClient.ConnectAsync(seed));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task No_seed_at_all_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FanoutClient.ConnectAsync());
        Assert.Contains("Seeds must name at least one seed node", error.Message);
    }
}
