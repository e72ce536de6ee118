using Fanout;
using Fanout.TestKit;
using Xunit;
using Xunit.Abstractions;
using static Fanout.Workflow;

namespace Greetings.Tests;

public static class GreetingTasks
{
    public static readonly TaskEnvironment Env = new("greetings");

    public static readonly TaskDefinition<string, string> Greet =
        Env.Task("greet", (string name, CancellationToken ct) => Task.FromResult($"Hello, {name}!"));

    public static readonly TaskDefinition<string[], string[]> GreetAll =
        Env.Task("greet_all", async (string[] names, CancellationToken ct) =>
            await Gather(names.Select(name => Greet.InvokeAsync(name))));
}

public class GreetingTests(ITestOutputHelper output) : FanoutTestKit(output)
{
    [Fact]
    public async Task Greets_everyone_with_one_action_each()
    {
        var (run, greetings) = await RunToEndAsync(GreetingTasks.GreetAll, ["Ada", "Alan"]);

        Assert.Equal(["Hello, Ada!", "Hello, Alan!"], greetings);
        var report = await ReportAsync(run);
        report.AssertRan(GreetingTasks.Greet, 2, ActionStatus.Succeeded);
    }

    [Fact]
    public async Task A_stub_stands_in_for_the_child()
    {
        var greet = Stub(GreetingTasks.Greet).Returns(name => $"Hi {name}");

        var (_, greetings) = await RunToEndAsync(GreetingTasks.GreetAll, ["Grace"]);

        Assert.Equal(["Hi Grace"], greetings);
        Assert.Equal(["Grace"], greet.Inputs);
    }
}
