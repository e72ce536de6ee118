using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka.Streams;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// What a task body sees of the action it runs in: which action it is, and the way out for its child
/// calls. It flows through the body's awaits as an <see cref="AsyncLocal{T}"/>, which is how
/// <see cref="TaskDefinition{TIn,TOut}.InvokeAsync"/> knows to start a child action instead of running inline.
/// </summary>
internal sealed class ActionContext
{
    private static readonly AsyncLocal<ActionContext?> CurrentSlot = new();

    private readonly Dictionary<string, int> _nextPosition = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ChildOutcome>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<ChildCall> _calls;
    private Action<ActionContext>? _startPipeline;

    // startPipeline starts the stream that carries calls to the run. It is called on the first child
    // call only: most actions are leaves and never need one.
    public ActionContext(string runId, string actionId, int attempt, IMaterializer materializer, int callBuffer,
        int maxPayloadBytes, Action<ActionContext> startPipeline, CancellationToken cancellation)
    {
        MaxPayloadBytes = maxPayloadBytes;
        _startPipeline = startPipeline;
        RunId = runId;
        ActionId = actionId;
        Attempt = attempt;
        Materializer = materializer;
        Cancellation = cancellation;
        _calls = Channel.CreateBounded<ChildCall>(new BoundedChannelOptions(callBuffer)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The action whose body is running on this logical call path, or null outside any run.</summary>
    public static ActionContext? Current
    {
        get => CurrentSlot.Value;
        set => CurrentSlot.Value = value;
    }

    public string RunId { get; }
    public string ActionId { get; }
    public int Attempt { get; }
    public IMaterializer Materializer { get; }
    public CancellationToken Cancellation { get; }
    public int MaxPayloadBytes { get; }

    /// <summary>Child calls waiting to be sent to the run, read by the action's call pipeline.</summary>
    public ChannelReader<ChildCall> Calls => _calls.Reader;

    public int PendingCount => _pending.Count;

    /// <summary>
    /// Names the next call deterministically: parent, group path, task and the call's position among
    /// this parent's calls of that task in that group. A parent that runs again after a crash or a retry
    /// makes the same calls in the same order, so it finds its children again by these ids.
    /// </summary>
    public ChildCall PrepareCall(TaskDefinition task, string? group, string inputJson, CallOptions options)
    {
        var key = group is null ? task.Name : $"{group}/{task.Name}";
        int position;
        lock (_nextPosition)
        {
            _nextPosition.TryGetValue(key, out position);
            _nextPosition[key] = position + 1;
        }
        return new ChildCall($"{ActionId}/{key}#{position}", task.Name, group, inputJson, options);
    }

    public Task<ChildOutcome> StartCall(ChildCall call)
    {
        var completion = new TaskCompletionSource<ChildOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(call.ActionId, completion))
            throw new InvalidOperationException($"Action {call.ActionId} was called twice in one attempt");

        Interlocked.Exchange(ref _startPipeline, null)?.Invoke(this);
        var write = _calls.Writer.WriteAsync(call, Cancellation);
        if (!write.IsCompletedSuccessfully)
            _ = ObserveWriteAsync(write, call.ActionId);
        return completion.Task;
    }

    private async Task ObserveWriteAsync(ValueTask write, string actionId)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (_pending.TryRemove(actionId, out var completion))
                completion.TrySetException(e is OperationCanceledException ? e : new FanoutException($"Could not start child action {actionId}", e));
        }
    }

    /// <summary>Completes the awaiting call with its journaled outcome.</summary>
    public void Deliver(ChildOutcome outcome)
    {
        if (_pending.TryRemove(outcome.ActionId, out var completion))
            completion.TrySetResult(outcome);
    }

    /// <summary>Ends the attempt: no more calls go out, and calls still waiting fail with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        _calls.Writer.TryComplete();
        foreach (var actionId in _pending.Keys)
        {
            if (_pending.TryRemove(actionId, out var completion))
                completion.TrySetException(reason);
        }
    }
}
