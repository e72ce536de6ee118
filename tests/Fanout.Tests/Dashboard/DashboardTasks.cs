using System.Collections.Concurrent;
using static Fanout.Workflow;

namespace Fanout.Tests.Dashboard;

/// <summary>Runs for the pages: a grouped fan-out with failures, a run full of markup, and a run that moves when a spec says.</summary>
public static class DashboardTasks
{
    public const string Hostile = "<script>alert('x')</script>";
    /// <summary>Group names are letters, digits, '_' and '-', so markup in a group is shown by the read-only views' spec.</summary>
    public const string HostileGroup = "<img src=x onerror=alert(1)>";

    private static readonly TaskEnvironment Env = new("dashboard", new TaskOptions { Retries = 0 });

    public static readonly TaskDefinition<int, int> Item = Env.Task("item", (int x, CancellationToken ct) =>
        x % 4 == 3 ? throw new InvalidOperationException($"item {x} is broken") : Task.FromResult(x));

    /// <summary>n items in region-a/zone-1 and n in region-b; every fourth fails and the run still succeeds.</summary>
    public static readonly TaskDefinition<int, int> Fleet = Env.Task("fleet", async (int n, CancellationToken ct) =>
    {
        Outcome<int>[] a, b;
        using (Group("region-a"))
        using (Group("zone-1"))
            a = await Gather(Enumerable.Range(0, n).Select(i => Item.InvokeAsync(i)), returnExceptions: true);
        using (Group("region-b"))
            b = await Gather(Enumerable.Range(0, n).Select(i => Item.InvokeAsync(i)), returnExceptions: true);
        return a.Concat(b).Count(o => o.IsSuccess);
    });

    public static readonly TaskDefinition<string, int> Echo = Env.Task("echo", (string text, CancellationToken ct) =>
        text.Length < 0 ? Task.FromResult(0) : throw new InvalidOperationException("echo refused " + text));

    /// <summary>Fails with markup in its input and its error messages.</summary>
    public static readonly TaskDefinition<string, int> Markup = Env.Task("markup", async (string text, CancellationToken ct) =>
    {
        using (Group("markup-group"))
            await Gather(new[] { Echo.InvokeAsync(text) }, returnExceptions: true);
        if (text.Length >= 0) throw new InvalidOperationException(Hostile);
        return 0;
    });

    /// <summary>Released items per key: a <see cref="Gated"/> run's items each wait for one release.</summary>
    public static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    public static readonly TaskDefinition<(string Key, int Index), int> GatedItem = Env.Task("gated_item",
        async ((string Key, int Index) item, CancellationToken ct) =>
        {
            await Gates.GetOrAdd(item.Key, _ => new SemaphoreSlim(0)).WaitAsync(ct);
            return item.Index;
        });

    /// <summary>n items that each end only when the spec releases one (<see cref="Gates"/>[key]).</summary>
    public static readonly TaskDefinition<(string Key, int Items), int> Gated = Env.Task("gated",
        async ((string Key, int Items) run, CancellationToken ct) =>
        {
            using (Group("gated"))
                return (await Gather(Enumerable.Range(0, run.Items).Select(i => GatedItem.InvokeAsync((run.Key, i))))).Sum();
        });
}
