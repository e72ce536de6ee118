namespace Fanout.Runtime.Hooks;

/// <summary>
/// Bodies that replace tasks on one runtime (Fanout.TestKit's stubs): the executor asks here before the
/// process-wide <see cref="TaskCatalog"/>, so one test's stub never leaks into another runtime in the process.
/// </summary>
internal interface ITaskOverrides
{
    /// <summary>The body that runs instead of task <paramref name="taskName"/> (JSON in, JSON out), or null to run the task itself.</summary>
    Func<string, CancellationToken, Task<string>>? Find(string taskName);
}
