using static Fanout.Workflow;

namespace Fanout.Tests.JournalViews;

/// <summary>Runs for the journal viewer's specs: nested groups, failures kept by the parent, and a wide one to time recovery.</summary>
public static class JournalViewTasks
{
    private static readonly TaskEnvironment Env = new("journalviews");

    /// <summary>Doubles its input; fails on purpose for every input that is 3 modulo 5.</summary>
    public static readonly TaskDefinition<int, int> Leaf = Env.Task("leaf", (int x) =>
        x % 5 == 3 ? Task.FromException<int>(new InvalidOperationException($"leaf {x} fails on purpose")) : Task.FromResult(x * 2));

    /// <summary>n leaves in "alpha/beta", n more in "gamma"; the failures are kept, so the run succeeds with some actions failed.</summary>
    public static readonly TaskDefinition<int, int> Grouped = Env.Task("grouped", async (int n) =>
    {
        Outcome<int>[] nested, flat;
        using (Group("alpha"))
        using (Group("beta"))
            nested = await Gather(Enumerable.Range(0, n).Select(i => Leaf.InvokeAsync(i)), returnExceptions: true);
        using (Group("gamma"))
            flat = await Gather(Enumerable.Range(n, n).Select(i => Leaf.InvokeAsync(i)), returnExceptions: true);
        return nested.Concat(flat).Count(o => o.IsSuccess);
    });

    /// <summary>n leaves that all succeed (inputs never 3 modulo 5).</summary>
    public static readonly TaskDefinition<int, int> Wide = Env.Task("wide", async (int n) =>
        (await Gather(Enumerable.Range(0, n).Select(i => Leaf.InvokeAsync(i * 5)))).Length);
}
