using Akka.Actor;
using Fanout.Runtime.Hooks;

namespace Fanout.TestKit;

/// <summary>
/// A Fanout runtime for tests: a real one-node runtime (the same run actors, executor, journal and runs index as in
/// production) on an in-memory SQLite database, with Akka's in-process transport instead of a TCP port, task stubs
/// that stand in for tasks on this runtime only, and a <see cref="TestClock"/> for retry backoffs and attempt timeouts.
/// Use it alone (<c>await using var fanout = await FanoutTestRuntime.StartAsync();</c>), as an xunit fixture, or
/// through <see cref="FanoutTestKit"/>. Runtimes in one process are independent: tests may run in parallel.
/// </summary>
public sealed class FanoutTestRuntime : IAsyncDisposable
{
    private readonly InMemoryJournal _journal;
    private readonly StubOverrides _stubs;
    private readonly RuntimeActivity _activity;
    private int _disposed;

    private readonly TimeSpan _runTimeout;

    private FanoutTestRuntime(FanoutRuntime runtime, TestClock clock, InMemoryJournal journal, StubOverrides stubs, RuntimeActivity activity,
        TimeSpan runTimeout)
    {
        _runTimeout = runTimeout;
        Runtime = runtime;
        Clock = clock;
        _journal = journal;
        _stubs = stubs;
        _activity = activity;
    }

    /// <summary>The runtime itself: start runs, read them, list them as on any other runtime.</summary>
    public FanoutRuntime Runtime { get; }

    /// <summary>The runtime's actor system (attempt events are published on its event stream).</summary>
    public ActorSystem ActorSystem => Runtime.ActorSystem;

    /// <summary>The virtual clock that retry backoffs and attempt timeouts wait on.</summary>
    public TestClock Clock { get; }

    /// <summary>Starts a test runtime; a few hundred milliseconds, most of it the cluster node's start.</summary>
    /// <param name="options">Settings; null for the defaults (in memory, no ports, auto-advancing clock).</param>
    /// <param name="cancellationToken">Stops waiting for the node to come up.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option has a bad value; the message names it.</exception>
    public static async Task<FanoutTestRuntime> StartAsync(FanoutTestOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FanoutTestOptions();
        options.Validate();
        var activity = new RuntimeActivity();
        var clock = new TestClock(options.ClockStart, options.AutoAdvance, options.QuietPeriod, activity);
        var stubs = new StubOverrides();
        var journal = InMemoryJournal.Open();
        try
        {
            var runtimeOptions = new FanoutRuntimeOptions { SystemName = "fanout-test", HttpPort = null, DrainTimeout = TimeSpan.FromSeconds(1) };
            options.ConfigureRuntime?.Invoke(runtimeOptions);
            runtimeOptions.Journal = FanoutJournal.Sqlite;
            runtimeOptions.HttpPort = options.HttpPort;
            runtimeOptions.Seeds.Clear();
            if (options.UseLoopbackRemoting) runtimeOptions.Port = 0;
            else runtimeOptions.AkkaConfig = runtimeOptions.AkkaConfig + "\n" + TestTransportHocon.For(runtimeOptions.SystemName);
            runtimeOptions.Hooks = new RuntimeHooks
            {
                Clock = new TestClockHook(clock),
                Tasks = stubs,
                Observer = activity,
                SqliteConnectionString = journal.ConnectionString,
            };
            var runtime = await FanoutRuntime.StartEmbeddedAsync(runtimeOptions, cancellationToken).ConfigureAwait(false);
            var eventStream = runtime.ActorSystem.EventStream;
            activity.Publish = eventStream.Publish;
            return new FanoutTestRuntime(runtime, clock, journal, stubs, activity, options.RunTimeout);
        }
        catch
        {
            await clock.StopAsync().ConfigureAwait(false);
            await journal.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The stub of <paramref name="task"/> on this runtime (made on first use): from now on every attempt of an action of
    /// that task runs the stub, not the task's body. A stub says nothing until told (<see cref="TaskStub{TIn,TOut}.Returns(TOut)"/>,
    /// <see cref="TaskStub{TIn,TOut}.Throws(Exception)"/>, ...); called before that, it fails the attempt saying so.
    /// </summary>
    public TaskStub<TIn, TOut> Stub<TIn, TOut>(TaskDefinition<TIn, TOut> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return _stubs.GetOrAdd(task, () => new TaskStub<TIn, TOut>(task, Clock, _activity));
    }

    /// <summary>Takes the stub of <paramref name="task"/> away: its actions run the task's own body again.</summary>
    /// <returns>Whether the task was stubbed.</returns>
    public bool RemoveStub(TaskDefinition task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return _stubs.Remove(task);
    }

    /// <summary>Takes every stub away (between tests sharing one runtime).</summary>
    public void ClearStubs() => _stubs.Clear();

    /// <summary>Starts a run of <paramref name="task"/> on <paramref name="input"/>.</summary>
    public Task<RunHandle<TOut>> RunAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input, CancellationToken cancellationToken = default) =>
        Runtime.RunAsync(task, input, cancellationToken);

    /// <summary>
    /// Runs <paramref name="task"/> on <paramref name="input"/> to its end and returns the run and its result, waiting at
    /// most <see cref="FanoutTestOptions.RunTimeout"/>.
    /// </summary>
    /// <exception cref="ActionFailedException">The root action failed.</exception>
    /// <exception cref="TimeoutException">The run did not end in time; the message says what it did so far.</exception>
    public async Task<(RunHandle<TOut> Run, TOut Result)> RunToEndAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input,
        CancellationToken cancellationToken = default)
    {
        var run = await Runtime.RunAsync(task, input, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_runTimeout);
        try
        {
            return (run, await run.WaitAsync(timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var report = await RunReport.ReadAsync(run, cancellationToken).ConfigureAwait(false);
            throw new TimeoutException(
                $"Run {run.Id} of {task.Name} did not end within {_runTimeout.TotalSeconds:0.#} s (FanoutTestOptions.RunTimeout); " +
                $"the clock is at +{Clock.Elapsed} with {Clock.PendingTimers} wait(s) pending.\n{report.Describe()}");
        }
    }

    /// <summary>Reads what a run did, for assertions: its summary and every action (see <see cref="RunReport"/>).</summary>
    public Task<RunReport> ReportAsync<TOut>(RunHandle<TOut> run, CancellationToken cancellationToken = default) =>
        RunReport.ReadAsync(run, cancellationToken);

    /// <summary>Stops the runtime, the clock and the in-memory journal (its data is gone).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _activity.Publish = null;
        // A cluster of one that leaves gracefully waits for its leader to move it out (about a second); downing
        // itself skips that wait, and nothing else is in the cluster to hand anything to.
        var cluster = Akka.Cluster.Cluster.Get(ActorSystem);
        cluster.Down(cluster.SelfAddress);
        await Runtime.DisposeAsync().ConfigureAwait(false);
        await Clock.StopAsync().ConfigureAwait(false);
        await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
