using System.Diagnostics;

namespace Fanout.ClusterApp;

/// <summary>
/// A crowd of bodies that hog their node the way users' code does: <paramref name="Blockers"/> that block
/// their thread (a synchronous wait before any await, as <c>Thread.Sleep</c> or synchronous I/O do) and
/// <paramref name="Spinners"/> that keep a core busy, each for <paramref name="Ms"/>.
/// </summary>
public sealed record Crowd(int Blockers, int Spinners, int Ms);

/// <summary>One hogging body: its position among its kind and how long it hogs.</summary>
public sealed record Hog(int Index, int Ms);

/// <summary>Tasks that block or spin their thread, for the specs that check such bodies cannot get a healthy node downed.</summary>
public static class HoggingTasks
{
    public static readonly TaskEnvironment Env = new("hogging");

    public static readonly TaskDefinition<Hog, int> Block = Env.Task("block", (Hog hog, CancellationToken ct) =>
    {
        Trace.Write("start", $"block-{hog.Index}");
        Thread.Sleep(hog.Ms);
        Trace.Write("end", $"block-{hog.Index}");
        return Task.FromResult(1);
    });

    public static readonly TaskDefinition<Hog, int> Spin = Env.Task("spin", (Hog hog, CancellationToken ct) =>
    {
        Trace.Write("start", $"spin-{hog.Index}");
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < hog.Ms) Thread.SpinWait(1_000);
        Trace.Write("end", $"spin-{hog.Index}");
        return Task.FromResult(1);
    });

    /// <summary>Calls every blocker and spinner at once and returns how many ended.</summary>
    public static readonly TaskDefinition<Crowd, int> Crowd = Env.Task("crowd", async (Crowd crowd, CancellationToken ct) =>
    {
        var calls = new List<Task<int>>();
        for (var i = 0; i < crowd.Blockers; i++) calls.Add(Block.InvokeAsync(new Hog(i, crowd.Ms)));
        for (var i = 0; i < crowd.Spinners; i++) calls.Add(Spin.InvokeAsync(new Hog(i, crowd.Ms)));
        return (await Workflow.Gather(calls)).Sum();
    });
}
