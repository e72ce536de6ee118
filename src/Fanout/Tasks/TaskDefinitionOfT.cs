using System.Text.Json;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout;

/// <summary>
/// A task taking <typeparamref name="TIn"/> and returning <typeparamref name="TOut"/>, defined with
/// <see cref="TaskEnvironment.Task{TIn,TOut}(string, Func{TIn, CancellationToken, Task{TOut}}, TaskOptions?)"/>.
/// </summary>
/// <typeparam name="TIn">The input type; it must round-trip through System.Text.Json.</typeparam>
/// <typeparam name="TOut">The output type; it must round-trip through System.Text.Json.</typeparam>
public sealed class TaskDefinition<TIn, TOut> : TaskDefinition
{
    private readonly Func<TIn, CancellationToken, Task<TOut>> _body;

    // Most calls use the task's own options: resolved once, not per call (a fan-out makes a million calls).
    private CallOptions? _ownCallOptions;

    internal TaskDefinition(TaskEnvironment environment, string name, Func<TIn, CancellationToken, Task<TOut>> body,
        TaskOptions? options, Delegate userBody)
        : base(environment, name, options, userBody.Method.DeclaringType?.Assembly)
    {
        _body = body ?? throw new ArgumentNullException(nameof(body));
        JsonRoundTrip.Check(Name, typeof(TIn));
        JsonRoundTrip.Check(Name, typeof(TOut));
        TaskCatalog.Register(this);
    }

    /// <inheritdoc />
    public override Type InputType => typeof(TIn);

    /// <inheritdoc />
    public override Type OutputType => typeof(TOut);

    /// <summary>
    /// Calls the task. Inside a running action this starts a child action (journaled, retried, run on
    /// some node) and completes with its result; outside any run it simply runs the body here, so unit
    /// tests of tasks need no runtime.
    /// </summary>
    /// <param name="input">The task's input.</param>
    /// <param name="options">Options for this call only, over the task's.</param>
    /// <returns>The task's result.</returns>
    /// <exception cref="ActionFailedException">The child action failed after its retry budget.</exception>
    /// <exception cref="ActionCancelledException">The run was cancelled.</exception>
    /// <exception cref="PayloadTooLargeException">The input is larger than the runtime allows (inside a run only).</exception>
    public Task<TOut> InvokeAsync(TIn input, TaskOptions? options = null) =>
        InvokeWithin(ActionContext.Current, GroupScope.CurrentPath, input, options);

    /// <summary>
    /// Calls the task from an explicit action context and group, for callers whose code runs where the
    /// caller's <see cref="AsyncLocal{T}"/> values do not flow (a stream stage on an actor thread).
    /// </summary>
    internal Task<TOut> InvokeWithin(ActionContext? context, string? group, TIn input, TaskOptions? options = null)
    {
        options?.Validate();
        if (context is null)
            return InvokeInline(input);

        var callOptions = options is null
            ? _ownCallOptions ??= CallOptions.From(Options, Environment.Role)
            : CallOptions.From(Options.OverriddenBy(options), Environment.Role);
        var inputJson = PayloadJson.Serialize(input);
        var call = context.PrepareCall(this, group, inputJson, callOptions);
        try
        {
            PayloadLimit.Check(inputJson, context.MaxPayloadBytes, Name, "input");
        }
        catch (PayloadTooLargeException e)
        {
            // The call keeps its position (so later calls keep their ids) but never becomes an action.
            return Task.FromException<TOut>(e);
        }
        var completion = new ChildCompletion<TOut>();
        context.StartCall(call, completion);
        return completion.Task;
    }

    private Task<TOut> InvokeInline(TIn input)
    {
        // A body that throws before returning its task fails the call the same way it would in a run:
        // through the returned task, so Gather(..., returnExceptions: true) sees it.
        try
        {
            return _body(input, CancellationToken.None);
        }
        catch (Exception e)
        {
            return Task.FromException<TOut>(e);
        }
    }

    internal override async Task<string> ExecuteJsonAsync(string inputJson, CancellationToken cancellationToken)
    {
        var input = ParseInput(inputJson);
        var output = await _body(input, cancellationToken).ConfigureAwait(false);
        return PayloadJson.Serialize(output);
    }

    internal override void ValidateInputJson(string inputJson) => ParseInput(inputJson);

    private TIn ParseInput(string inputJson)
    {
        try
        {
            return PayloadJson.Deserialize<TIn>(inputJson);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidTaskInputException(Name, typeof(TIn), e.Message, e);
        }
    }
}
