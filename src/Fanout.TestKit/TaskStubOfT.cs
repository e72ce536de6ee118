using Fanout.Runtime;

namespace Fanout.TestKit;

/// <summary>
/// A stand-in for <see cref="TaskDefinition{TIn,TOut}"/> on one test runtime, made by <see cref="FanoutTestRuntime.Stub{TIn,TOut}"/>:
/// it returns a value (fixed or computed from the input), throws, fails its first attempts then succeeds, hangs
/// until cancelled or takes virtual time, and records every call. Its settings may change between runs; each call
/// reads them as they are when it starts.
/// </summary>
/// <typeparam name="TIn">The task's input type.</typeparam>
/// <typeparam name="TOut">The task's output type.</typeparam>
public sealed class TaskStub<TIn, TOut> : TaskStub
{
    private readonly object _gate = new();
    private readonly List<StubCall<TIn>> _calls = [];
    private readonly TestClock _clock;
    private readonly RuntimeActivity _activity;
    // Set by the test, read by bodies on other threads.
    private volatile Func<TIn, CancellationToken, Task<TOut>> _behaviour;
    private volatile int _failingAttempts;
    private volatile Func<TIn, int, Exception>? _failure;
    private long _takesTimeTicks;

    internal TaskStub(TaskDefinition<TIn, TOut> task, TestClock clock, RuntimeActivity activity) : base(task)
    {
        _clock = clock;
        _activity = activity;
        _behaviour = (_, _) => throw new InvalidOperationException(
            $"The stub of task '{task.Name}' was called but says nothing: call Returns, Throws or Hangs on it");
    }

    /// <inheritdoc />
    public override int CallCount
    {
        get
        {
            lock (_gate) return _calls.Count;
        }
    }

    /// <summary>Every call so far, in the order they started.</summary>
    public IReadOnlyList<StubCall<TIn>> Calls
    {
        get
        {
            lock (_gate) return _calls.ToList();
        }
    }

    /// <summary>The input of every call so far (an action retried three times appears three times).</summary>
    public IReadOnlyList<TIn> Inputs
    {
        get
        {
            lock (_gate) return _calls.Select(c => c.Input).ToList();
        }
    }

    /// <summary>Every call returns <paramref name="value"/>.</summary>
    public TaskStub<TIn, TOut> Returns(TOut value) => ReturnsAsync((_, _) => System.Threading.Tasks.Task.FromResult(value));

    /// <summary>Every call returns what <paramref name="compute"/> makes of its input.</summary>
    public TaskStub<TIn, TOut> Returns(Func<TIn, TOut> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        return ReturnsAsync((input, _) => System.Threading.Tasks.Task.FromResult(compute(input)));
    }

    /// <summary>Every call runs <paramref name="body"/> (it may await, and should honour its token).</summary>
    public TaskStub<TIn, TOut> ReturnsAsync(Func<TIn, CancellationToken, Task<TOut>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _behaviour = body;
        return this;
    }

    /// <summary>Every call throws <paramref name="exception"/> (the action fails, after its retries).</summary>
    public TaskStub<TIn, TOut> Throws(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Throws(_ => exception);
    }

    /// <summary>Every call throws the exception <paramref name="exceptionFor"/> makes for its input.</summary>
    public TaskStub<TIn, TOut> Throws(Func<TIn, Exception> exceptionFor)
    {
        ArgumentNullException.ThrowIfNull(exceptionFor);
        return ReturnsAsync((input, _) => throw exceptionFor(input));
    }

    /// <summary>
    /// The first <paramref name="attempts"/> attempts of every action throw what <paramref name="exceptionFor"/> makes of
    /// the input and the attempt number; later attempts do what <see cref="Returns(TOut)"/> (or another setting) says.
    /// With the task's <see cref="TaskOptions.Retries"/> at least <paramref name="attempts"/>, each action succeeds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempts"/> is negative.</exception>
    public TaskStub<TIn, TOut> FailsAttempts(int attempts, Func<TIn, int, Exception>? exceptionFor = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        _failure = exceptionFor ?? ((input, attempt) =>
            new InvalidOperationException($"stub of '{Task.Name}' fails attempt {attempt} of {attempts} on purpose (input {input})"));
        _failingAttempts = attempts;
        return this;
    }

    /// <summary>Every call waits until its token fires (a timeout or a cancellation), then throws <see cref="OperationCanceledException"/>.</summary>
    public TaskStub<TIn, TOut> Hangs() => ReturnsAsync(async (_, ct) =>
    {
        // Waiting for its token only: the test clock may skip ahead to the attempt's timeout.
        using (_activity.WaitingOnTime()) await System.Threading.Tasks.Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        throw new OperationCanceledException(ct);
    });

    /// <summary>
    /// Every call first waits <paramref name="duration"/> of the runtime's <see cref="TestClock"/> (a slow child, next to a
    /// parent's timeout), then does what the stub says.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public TaskStub<TIn, TOut> TakesTime(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        Interlocked.Exchange(ref _takesTimeTicks, duration.Ticks);
        return this;
    }

    internal override async Task<string> RunJsonAsync(string inputJson, CancellationToken cancellationToken)
    {
        var input = PayloadJson.Deserialize<TIn>(inputJson);
        var context = TaskContext.Current;
        var attempt = context?.Attempt ?? 1;
        lock (_gate) _calls.Add(new StubCall<TIn>(input, context?.ActionId ?? "", attempt));

        var takesTime = TimeSpan.FromTicks(Interlocked.Read(ref _takesTimeTicks));
        if (takesTime > TimeSpan.Zero)
            using (_activity.WaitingOnTime())
                await _clock.Delay(takesTime, cancellationToken).ConfigureAwait(false);
        if (attempt <= _failingAttempts && _failure is { } failure) throw failure(input, attempt);
        var output = await _behaviour(input, cancellationToken).ConfigureAwait(false);
        return PayloadJson.Serialize(output);
    }
}
