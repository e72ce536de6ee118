using static Fanout.Workflow;

namespace Fanout.Tests.Hosting;

/// <summary>The tasks the hosting specs run: a small fan-out, and one that waits until it is cancelled.</summary>
public static class HostingTasks
{
    private static readonly TaskEnvironment Env = new("hosting");

    public static readonly TaskDefinition<int, int> Square = Env.Task("square", (int x, CancellationToken ct) => Task.FromResult(x * x));

    /// <summary>The sum of the squares of 1..n, each square a child action.</summary>
    public static readonly TaskDefinition<int, int> SumOfSquares = Env.Task("sum_of_squares", async (int n, CancellationToken ct) =>
    {
        var squares = await Gather(Enumerable.Range(1, n).Select(i => Square.InvokeAsync(i)));
        return squares.Sum();
    });

    public static readonly TaskDefinition<string, string> WaitsForCancel = Env.Task("waits_for_cancel", async (string key, CancellationToken ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        return key;
    });
}
