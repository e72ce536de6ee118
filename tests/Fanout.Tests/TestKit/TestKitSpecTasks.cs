using static Fanout.Workflow;

namespace Fanout.Tests.UserTestKit;

/// <summary>Workflows the TestKit's specs run: parents whose children the specs stub.</summary>
public static class TestKitSpecTasks
{
    public static readonly TaskEnvironment Env = new("testkit_specs");

    public static readonly TaskDefinition<int, int> Child = Env.Task("child", (int x, CancellationToken ct) => Task.FromResult(x * 10));

    public static readonly TaskDefinition<int, int[]> Parent =
        Env.Task("parent", async (int n, CancellationToken ct) => await Gather(Enumerable.Range(0, n).Select(i => Child.InvokeAsync(i))));

    public static readonly TaskDefinition<int, string[]> ParentKeepingErrors =
        Env.Task("parent_keeping_errors", async (int n, CancellationToken ct) =>
            (await Gather(Enumerable.Range(0, n).Select(i => Child.InvokeAsync(i)), returnExceptions: true))
            .Select(o => o.IsSuccess ? $"ok {o.Value}" : $"failed {((ActionFailedException)o.Exception!).RemoteType}").ToArray());

    // Retried 5 times, 30 s, 60 s, 120 s, 240 s, then 300 s (the cap) apart: 750 s of backoff in all.
    public static readonly TaskDefinition<int, int> FlakyChild = Env.Task(
        "flaky_child",
        (int x, CancellationToken ct) => Task.FromResult(x),
        new TaskOptions { Retries = 5, RetryBackoff = TimeSpan.FromSeconds(30), MaxRetryBackoff = TimeSpan.FromMinutes(5) });

    public static readonly TaskDefinition<int, int> FlakyParent =
        Env.Task("flaky_parent", async (int x, CancellationToken ct) => await FlakyChild.InvokeAsync(x));

    public static readonly TaskDefinition<int, int> SlowChild = Env.Task(
        "slow_child", (int x, CancellationToken ct) => Task.FromResult(x), new TaskOptions { Timeout = TimeSpan.FromMinutes(10) });

    public static readonly TaskDefinition<int, int> SlowParent =
        Env.Task("slow_parent", async (int x, CancellationToken ct) => await SlowChild.InvokeAsync(x));

    public static readonly TaskDefinition<int, int> GroupedParent =
        Env.Task("grouped_parent", async (int n, CancellationToken ct) =>
        {
            var total = 0;
            using (Group("outer"))
            {
                total += await Child.InvokeAsync(1);
                using (Group("inner"))
                    total += (await Gather(Enumerable.Range(0, n).Select(i => Child.InvokeAsync(i)))).Sum();
            }
            using (Group("solo"))
            using (Group("deep"))
                total += await Child.InvokeAsync(2);
            return total;
        });
}
