using static Fanout.Workflow;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// A nested fan-out for the trace and metric specs: a parent calls three children, each calls two grandchildren in
/// a group; one grandchild always fails (retried twice), and its child collects the failure as a value, so the run
/// succeeds with one failed action. Task names are this spec's own: the metrics are filtered by them.
/// </summary>
public static class DiagnosticsTasks
{
    public const int Children = 3;
    public const int GrandchildrenEach = 2;
    public const int FailingGrandchild = 11; // child 1's second grandchild
    public const int GrandchildRetries = 2;
    public const string GrandchildGroup = "leaves";

    private static readonly TaskEnvironment Env = new("otel_spec",
        new TaskOptions { RetryBackoff = TimeSpan.FromMilliseconds(20), MaxRetryBackoff = TimeSpan.FromMilliseconds(50) });

    public static readonly TaskDefinition<int, int> Grandchild = Env.Task("grandchild",
        (int x, CancellationToken ct) => x == FailingGrandchild
            ? throw new InvalidOperationException($"grandchild {x} fails on purpose")
            : Task.FromResult(x),
        new TaskOptions { Retries = GrandchildRetries });

    public static readonly TaskDefinition<int, int> Child = Env.Task("child",
        async (int i, CancellationToken ct) =>
        {
            using (Group(GrandchildGroup))
            {
                var outcomes = await Gather(Enumerable.Range(0, GrandchildrenEach).Select(j => Grandchild.InvokeAsync(i * 10 + j)),
                    returnExceptions: true);
                return outcomes.Count(o => o.IsSuccess);
            }
        });

    public static readonly TaskDefinition<int, int> Parent = Env.Task("parent",
        async (int n, CancellationToken ct) => (await Gather(Enumerable.Range(0, n).Select(i => Child.InvokeAsync(i)))).Sum());
}
