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

    private readonly Action<ActionContext> _startPipeline;
    private readonly object _gate = new();
    private CallPath? _callPath;
    private bool _closed;

    // startPipeline starts the stream that carries calls to the run. Like the rest of the call path,
    // it is set up on the first child call only: most actions are leaves and never need one.
    public ActionContext(string runId, string actionId, int attempt, IMaterializer materializer, int maxPayloadBytes, Action<ActionContext> startPipeline, CancellationToken cancellation)
    {
        RunId = runId;
        ActionId = actionId;
        Attempt = attempt;
        Materializer = materializer;
        MaxPayloadBytes = maxPayloadBytes;
        Cancellation = cancellation;
        _startPipeline = startPipeline;
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
    public int MaxPayloadBytes { get; }
    public CancellationToken Cancellation { get; }

    /// <summary>This attempt's span, which its child calls carry to the run; null when untraced.</summary>
    public TraceContext? Trace { get; set; }

    /// <summary>Child calls waiting to be sent to the run, read by the action's call pipeline.</summary>
    public ChannelReader<ChildCall> Calls => EnsureCallPath().Calls.Reader;

    /// <summary>
    /// Names the next call deterministically: parent, group path, task and the call's position among
    /// this parent's calls of that task in that group. A parent that runs again after a crash or a retry
    /// makes the same calls in the same order, so it finds its children again by these ids.
    /// </summary>
    public ChildCall PrepareCall(TaskDefinition task, string? group, string inputJson, CallOptions options)
    {
        var positions = EnsureCallPath().NextPosition;
        var key = group is null ? task.Name : $"{group}/{task.Name}";
        int position;
        lock (positions)
        {
            positions.TryGetValue(key, out position);
            positions[key] = position + 1;
        }
        return new ChildCall($"{ActionId}/{key}#{position}", task.Name, group, inputJson, options) { Trace = Trace };
    }

    /// <summary>Queues the call for the run; <paramref name="completion"/> settles when its outcome comes.</summary>
    public void StartCall(ChildCall call, IChildCompletion completion)
    {
        var path = EnsureCallPath();
        if (!path.Pending.TryAdd(call.ActionId, completion))
            throw new InvalidOperationException($"Action {call.ActionId} was called twice in one attempt");
        if (!path.Calls.Writer.TryWrite(call) && path.Pending.TryRemove(call.ActionId, out _))
            completion.Fail(new FanoutException($"Could not start child action {call.ActionId}: attempt {Attempt} of {ActionId} has ended"));
    }

    /// <summary>Completes the awaiting call with its journaled outcome.</summary>
    public void Deliver(ChildOutcome outcome)
    {
        if (Volatile.Read(ref _callPath) is { } path && path.Pending.TryRemove(outcome.ActionId, out var completion))
            completion.Complete(outcome);
    }

    /// <summary>Ends the attempt: no more calls go out, and calls still waiting fail with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        CallPath? path;
        lock (_gate)
        {
            _closed = true;
            path = _callPath;
        }
        if (path is null) return;
        path.Calls.Writer.TryComplete();
        foreach (var actionId in path.Pending.Keys)
        {
            if (path.Pending.TryRemove(actionId, out var completion))
                completion.Fail(reason);
        }
    }

    private CallPath EnsureCallPath()
    {
        if (Volatile.Read(ref _callPath) is { } existing) return existing;
        lock (_gate)
        {
            if (_callPath is not null) return _callPath;
            var path = new CallPath();
            if (_closed) path.Calls.Writer.TryComplete(); // a call after the attempt ended fails at once
            Volatile.Write(ref _callPath, path);
            if (!_closed) _startPipeline(this);
            return path;
        }
    }

    /// <summary>
    /// A parent's outgoing calls: positions handed out, calls awaiting outcomes, and the queue to the run.
    /// The queue is unbounded on purpose: a call never waits to be queued (the parent holds its task
    /// already, so a bound would only add a blocked writer per call); what is bounded is the stream that
    /// carries calls to the run, which takes the next batch only when the run has taken the last.
    /// </summary>
    private sealed class CallPath
    {
        public Dictionary<string, int> NextPosition { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, IChildCompletion> Pending { get; } = new(StringComparer.Ordinal);

        public Channel<ChildCall> Calls { get; } = Channel.CreateUnbounded<ChildCall>(new UnboundedChannelOptions
        {
            SingleReader = true,
        });
    }
}
