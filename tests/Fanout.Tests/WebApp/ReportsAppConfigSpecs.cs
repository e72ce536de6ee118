using System.Text.RegularExpressions;
using Fanout.Tests.Cluster.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.WebApp;

/// <summary>A bad value or a typo in the app's "Fanout" section stops the app at start with an error naming the key.</summary>
public sealed class ReportsAppConfigSpecs(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Fanout:Port", "70000", "Fanout:Port")]
    [InlineData("Fanout:Seeds:0", "not-an-address", "Fanout:Seeds")]
    [InlineData("Fanout:JoinTimeout", "soon", "Fanout:JoinTimeout")]
    [InlineData("Fanout:Seed", "akka.tcp://fanout@127.0.0.1:4053", "Fanout:Seed")]
    public void A_bad_Fanout_setting_fails_the_app_start_naming_the_key(string key, string value, string named)
    {
        // A seed nothing listens on: the app must fail on the setting, not wait to join.
        using var app = new ReportsAppFactory(("Fanout:Seeds:0", $"akka.tcp://fanout@127.0.0.1:{FreePorts.Next()}"), (key, value));

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join(" | ", Chain(failure).Select(e => e.Message));
        output.WriteLine(messages);
        // The key itself, not a longer one that starts with it (Fanout:Seeds is not Fanout:Seed).
        Assert.Matches(Regex.Escape(named) + @"(?!\w)", messages);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? at = e; at is not null; at = at.InnerException)
        {
            yield return at;
            if (at is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }
}
