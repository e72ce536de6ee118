using Fanout.Tests.Support;
using static Fanout.Workflow;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// A parent may wait on its children far longer than sharding's idle-passivation interval: the
/// children's results reach it directly, not through sharding, so it must never be passivated as idle.
/// On each journal.
/// </summary>
public abstract class LongWaitSpecs(FanoutJournal journal)
{
    private static readonly TaskEnvironment Env = new("long_wait");

    private static readonly TaskDefinition<int, int> Slow = Env.Task("slow", async (int x, CancellationToken ct) =>
    {
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        return x;
    });

    private static readonly TaskDefinition<int, int> Parent = Env.Task("parent", async (int n, CancellationToken ct) =>
        (await Gather(Enumerable.Range(0, n).Select(i => Slow.InvokeAsync(i)))).Sum());

    [Fact]
    public async Task A_parent_waiting_longer_than_the_idle_passivation_interval_is_not_stopped()
    {
        await using var testJournal = await TestJournal.CreateAsync(journal);
        var options = testJournal.Options();
        options.HttpPort = null;
        options.AkkaConfig += "\nakka.cluster.sharding.passivate-idle-entity-after = 1s";
        await using var fanout = await FanoutRuntime.StartEmbeddedAsync(options);

        var run = await fanout.RunAsync(Parent, 3);

        Assert.Equal(0 + 1 + 2, await run.WaitAsync(TimeSpan.FromSeconds(60), "the parent waiting past the passivation interval to end"));
        var root = (await run.GetActionsAsync(new ActionQuery(Limit: 1))).Actions.Single();
        Assert.Equal(1, root.Attempts);
    }
}

public sealed class LongWaitSpecsOnSqlite() : LongWaitSpecs(FanoutJournal.Sqlite);

public sealed class LongWaitSpecsOnPostgres() : LongWaitSpecs(FanoutJournal.PostgreSql);
