namespace Fanout.Runtime.Hooks;

/// <summary>
/// What Fanout.TestKit replaces in one runtime: the clock, task bodies, an observer of attempts and the journal's
/// database. Production runs with <see cref="Production"/>: real time, the task catalog, nothing observed, the
/// configured journal.
/// </summary>
internal sealed record RuntimeHooks
{
    public static readonly RuntimeHooks Production = new();

    public IRuntimeClock Clock { get; init; } = SystemRuntimeClock.Instance;

    public ITaskOverrides? Tasks { get; init; }

    public IAttemptObserver? Observer { get; init; }

    /// <summary>
    /// A SQLite connection string used instead of <see cref="FanoutRuntimeOptions.DatabasePath"/> (an in-memory,
    /// shared-cache database the caller keeps open for the runtime's life); null for the configured journal.
    /// </summary>
    public string? SqliteConnectionString { get; init; }
}
