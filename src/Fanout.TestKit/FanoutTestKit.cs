using Akka.Actor;
using Xunit.Abstractions;

namespace Fanout.TestKit;

/// <summary>
/// An xunit test class base for Fanout workflows: each test gets its own <see cref="FanoutTestRuntime"/> (in memory, no
/// ports, a virtual clock), and the Akka.NET TestKit runs on that runtime's actor system, so <c>ExpectMsg</c>,
/// <c>CreateTestProbe</c> and <c>AwaitAssert</c> work as usual and a probe can follow attempts
/// (<see cref="SubscribeToAttempts"/>). The runtime stops with the test.
/// </summary>
public abstract class FanoutTestKit : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Starts the test's runtime (xunit constructs the class once per test).</summary>
    /// <param name="output">xunit's output, for the TestKit's logs; may be null.</param>
    /// <param name="options">The runtime's settings; null for the defaults.</param>
    protected FanoutTestKit(ITestOutputHelper? output = null, FanoutTestOptions? options = null)
        : this(StartRuntime(options), output)
    {
    }

    private FanoutTestKit(FanoutTestRuntime runtime, ITestOutputHelper? output) : base(runtime.ActorSystem, output) => TestRuntime = runtime;

    /// <summary>The test's runtime: start runs on it, stub its tasks, move its clock.</summary>
    protected FanoutTestRuntime TestRuntime { get; }

    /// <summary>The runtime's virtual clock (<see cref="FanoutTestRuntime.Clock"/>).</summary>
    protected TestClock Clock => TestRuntime.Clock;

    /// <summary>The stub of <paramref name="task"/> on this test's runtime (<see cref="FanoutTestRuntime.Stub{TIn,TOut}"/>).</summary>
    protected TaskStub<TIn, TOut> Stub<TIn, TOut>(TaskDefinition<TIn, TOut> task) => TestRuntime.Stub(task);

    /// <summary>Starts a run of <paramref name="task"/> on <paramref name="input"/> on this test's runtime.</summary>
    protected Task<RunHandle<TOut>> RunAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input, CancellationToken cancellationToken = default) =>
        TestRuntime.RunAsync(task, input, cancellationToken);

    /// <summary>
    /// Runs <paramref name="task"/> on <paramref name="input"/> to its end and returns the run and its result
    /// (<see cref="FanoutTestRuntime.RunToEndAsync"/>: at most <see cref="FanoutTestOptions.RunTimeout"/>).
    /// </summary>
    /// <exception cref="ActionFailedException">The root action failed.</exception>
    /// <exception cref="TimeoutException">The run did not end in time; the message says what it did so far.</exception>
    protected Task<(RunHandle<TOut> Run, TOut Result)> RunToEndAsync<TIn, TOut>(TaskDefinition<TIn, TOut> task, TIn input,
        CancellationToken cancellationToken = default) =>
        TestRuntime.RunToEndAsync(task, input, cancellationToken);

    /// <summary>Reads what a run did, for assertions (<see cref="RunReport"/>).</summary>
    protected Task<RunReport> ReportAsync<TOut>(RunHandle<TOut> run, CancellationToken cancellationToken = default) =>
        RunReport.ReadAsync(run, cancellationToken);

    /// <summary>
    /// Sends <paramref name="subscriber"/> (a <c>TestProbe</c>, say) an <see cref="AttemptStarted"/> when an attempt's body
    /// starts and an <see cref="AttemptEnded"/> when it ends, for every action of every run on this runtime.
    /// </summary>
    protected void SubscribeToAttempts(IActorRef subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        Sys.EventStream.Subscribe(subscriber, typeof(AttemptStarted));
        Sys.EventStream.Subscribe(subscriber, typeof(AttemptEnded));
    }

    /// <summary>Stops the runtime (leaving its cluster of one, then its actor system) after the test.</summary>
    protected override void AfterAll()
    {
        TestRuntime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.AfterAll();
    }

    // xunit constructs test classes synchronously; the start runs off any synchronization context it may have.
    private static FanoutTestRuntime StartRuntime(FanoutTestOptions? options) =>
        Task.Run(() => FanoutTestRuntime.StartAsync(options)).GetAwaiter().GetResult();
}
