using System.Collections.Concurrent;

namespace Fanout.Tests.EndToEnd;

/// <summary>Tasks that count their bodies' executions by run, and report the context their bodies see.</summary>
public static class IdempotencyTasks
{
    private static readonly TaskEnvironment Env = new("idempotency",
        new TaskOptions { RetryBackoff = TimeSpan.FromMilliseconds(20), MaxRetryBackoff = TimeSpan.FromMilliseconds(100) });

    /// <summary>How many times a root body ran, by run id: each spec picks its own run ids.</summary>
    public static readonly ConcurrentDictionary<string, int> RootExecutions = new();

    /// <summary>Every (action id, attempt) a <see cref="ReportsContextAfterOneFailure"/> body saw, by run id.</summary>
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<(string ActionId, int Attempt)>> AttemptsSeen = new();

    public static readonly TaskDefinition<int, int> CountedRoot = Env.Task("counted_root",
        (int x, CancellationToken ct) =>
        {
            var context = TaskContext.Current ?? throw new InvalidOperationException("no task context inside a run");
            RootExecutions.AddOrUpdate(context.RunId, 1, (_, n) => n + 1);
            return Task.FromResult(x * 2);
        });

    public static readonly TaskDefinition<Order, string> CountedOrder = Env.Task("counted_order",
        (Order order, CancellationToken ct) =>
        {
            var context = TaskContext.Current ?? throw new InvalidOperationException("no task context inside a run");
            RootExecutions.AddOrUpdate(context.RunId, 1, (_, n) => n + 1);
            return Task.FromResult($"{order.Customer}:{order.Amount}");
        });

    /// <summary>Fails its first attempt, then returns the run id, action id and attempt its body saw.</summary>
    public static readonly TaskDefinition<string, SeenContext> ReportsContextAfterOneFailure = Env.Task("reports_context",
        (string label, CancellationToken ct) =>
        {
            var context = TaskContext.Current ?? throw new InvalidOperationException("no task context inside a run");
            AttemptsSeen.GetOrAdd(context.RunId, _ => new()).Enqueue((context.ActionId, context.Attempt));
            return context.Attempt == 1
                ? throw new InvalidOperationException($"{label}: first attempt fails on purpose")
                : Task.FromResult(new SeenContext(context.RunId, context.ActionId, context.Attempt));
        },
        new TaskOptions { Retries = 1 });

    /// <summary>A root that reports its own context, then its child's.</summary>
    public static readonly TaskDefinition<string, SeenContext[]> ParentOfReporter = Env.Task("parent_of_reporter",
        async (string label, CancellationToken ct) =>
        {
            var context = TaskContext.Current ?? throw new InvalidOperationException("no task context inside a run");
            var own = new SeenContext(context.RunId, context.ActionId, context.Attempt);
            return new[] { own, await ReportsContextAfterOneFailure.InvokeAsync(label) };
        });

    /// <summary>What <see cref="TaskContext.Current"/> says in a body called inline, with no runtime.</summary>
    public static readonly TaskDefinition<Unit, string> DescribesContext = Env.Task("describes_context",
        (CancellationToken ct) => Task.FromResult(TaskContext.Current is { } c ? $"{c.ActionId} attempt {c.Attempt}" : "no context"));

    public sealed record Order(string Customer, int Amount);

    public sealed record SeenContext(string RunId, string ActionId, int Attempt);
}
