namespace Fanout.Runtime.Execution;

/// <summary>
/// Lets task bodies that block their thread (<c>Thread.Sleep</c>, synchronous I/O: users write them) run
/// without starving the rest of the process. Bodies run on the .NET thread pool, which adds threads beyond
/// its minimum only gradually (about one or two a second): with a hundred bodies blocked, every other piece
/// of work queued to the pool (Akka.Remote's and the journal's task continuations among them) waited seconds,
/// heartbeats arrived ~8 s late and a healthy worker was downed. Raising the minimum to the node's slots
/// lets the pool start a thread for each blocked body at once, so the rest of the work keeps its threads.
/// Process-wide, and only ever raised.
/// </summary>
internal static class BlockingBodies
{
    /// <summary>Room for every slot to block a thread, plus the process's usual work.</summary>
    public static void AllowFor(int actionSlots)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = (int)Math.Min(32_767L, (long)actionSlots + 4L * Environment.ProcessorCount);
        if (wanted > workers) ThreadPool.SetMinThreads(wanted, io);
    }
}
