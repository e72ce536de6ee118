using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Streams;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Runs one action's attempts on the node that hosts its sharded entity. It is cheap and holds no
/// durable state: the run journals everything. It looks the task up in this node's catalog, runs
/// the body with the action's context (so child calls become child actions), enforces the timeout,
/// fires the body's token on cancellation, reports the attempt's outcome to the run, and passivates.
/// </summary>
internal sealed class ActionActor : UntypedActor
{
    // An UntypedActor, not a ReceiveActor: one of these is created per action, and a ReceiveActor builds
    // its handler tables in every constructor and on every Become, a visible share of a fan-out's CPU.
    private readonly string _actionId;
    private readonly IActorRef _runRegion;
    private readonly RuntimeSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private ExecuteAction? _current;
    private ActionContext? _context;
    private CancellationTokenSource? _cancellation;
    private string? _cancelReason;
    private bool _attemptOpen;

    public ActionActor(string actionId, IActorRef runRegion, RuntimeSettings settings, IMaterializer materializer)
    {
        _actionId = actionId;
        _runRegion = runRegion;
        _settings = settings;
        _materializer = materializer;
    }

    /// <summary>Idle: waiting for an attempt to run.</summary>
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ExecuteAction execute:
                Start(execute);
                break;
            case CancelAction or ChildResults:
                break; // nothing running
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Running an attempt's body.</summary>
    private void Running(object message)
    {
        switch (message)
        {
            case ChildResults results:
                foreach (var outcome in results.Outcomes) _context?.Deliver(outcome);
                break;
            case CancelAction cancel:
                _cancelReason = cancel.Reason;
                _cancellation?.Cancel();
                break;
            case ExecuteAction execute when execute.Attempt > _current!.Attempt:
                EndAttempt(new FanoutException($"attempt {_current.Attempt} was superseded by attempt {execute.Attempt}"));
                Start(execute);
                break;
            case ExecuteAction:
                break; // a duplicate of the attempt being run
            case BodyEnded ended when ended.Attempt == _current!.Attempt:
                Report(ended);
                _attemptOpen = false;
                EndAttempt(new FanoutException($"attempt {ended.Attempt} of action {_actionId} has ended"));
                Become(Finished);
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
                break;
            case BodyEnded:
                break; // a superseded attempt's body
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Passivating after the attempt ended.</summary>
    private void Finished(object message)
    {
        // A retry that slipped into the mailbox goes back through the region, which holds it until
        // this entity has stopped and then starts a fresh one.
        if (message is ExecuteAction execute)
            ClusterSharding.Get(Context.System).ShardRegion(ShardRegions.Actions).Forward(execute);
    }

    private void Start(ExecuteAction execute)
    {
        _current = execute;
        _cancelReason = null;
        _attemptOpen = true;
        Become(Running);

        if (!TaskCatalog.TryGet(execute.TaskName, out var task))
        {
            var unknown = new UnknownTaskException(execute.TaskName, TaskCatalog.Names);
            Self.Tell(new BodyEnded(execute.Attempt, null, unknown));
            return;
        }

        _cancellation = new CancellationTokenSource();
        var runRegion = _runRegion;
        var self = Self;
        var settings = _settings;
        _context = new ActionContext(execute.RunId, execute.ActionId, execute.Attempt, _materializer,
            _settings.ChildCallBuffer, _settings.MaxPayloadBytes, ctx => ChildCallPipeline.Start(ctx, runRegion, self, settings), _cancellation.Token);

        var context = _context;
        var cancellation = _cancellation;
        var timeout = execute.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(execute.TimeoutMs) : (TimeSpan?)null;
        var attempt = execute.Attempt;
        _ = Task.Run(async () =>
        {
            ActionContext.Current = context;
            try
            {
                var result = await RunBodyAsync(task, execute.InputJson, timeout, cancellation).ConfigureAwait(false);
                PayloadLimit.Check(result, context.MaxPayloadBytes, task.Name, "output");
                self.Tell(new BodyEnded(attempt, result, null));
            }
            catch (Exception e)
            {
                self.Tell(new BodyEnded(attempt, null, e));
            }
        });
    }

    private static async Task<string> RunBodyAsync(
        TaskDefinition task, string inputJson, TimeSpan? timeout, CancellationTokenSource cancellation)
    {
        var body = task.ExecuteJsonAsync(inputJson, cancellation.Token);
        if (timeout is not { } limit) return await body.ConfigureAwait(false);

        // The token fires at the limit, but a body may ignore it: the attempt ends at the limit either way.
        using var timer = new CancellationTokenSource();
        var winner = await Task.WhenAny(body, Task.Delay(limit, timer.Token)).ConfigureAwait(false);
        if (winner == body)
        {
            await timer.CancelAsync().ConfigureAwait(false);
            return await body.ConfigureAwait(false);
        }
        await cancellation.CancelAsync().ConfigureAwait(false);
        _ = body.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        throw new TimeoutException($"Task '{task.Name}' timed out after {limit.TotalSeconds:0.###} s");
    }

    private void Report(BodyEnded ended)
    {
        var execute = _current!;
        AttemptFinished report;
        if (ended.Error is null)
        {
            report = new AttemptFinished(execute.RunId, execute.ActionId, execute.Attempt, OutcomeKind.Succeeded,
                ended.ResultJson, null, Retryable: false);
        }
        else if (_cancelReason is not null)
        {
            report = new AttemptFinished(execute.RunId, execute.ActionId, execute.Attempt, OutcomeKind.Cancelled,
                null, ErrorInfo.From(ended.Error), Retryable: false);
        }
        else
        {
            // An unknown task, an input that does not fit the task's type or an output over the size
            // limit fails the same way every time: no retry.
            var retryable = ended.Error is not (UnknownTaskException or InvalidTaskInputException or PayloadTooLargeException);
            if (_log.IsDebugEnabled)
                _log.Debug("Attempt {0} of {1} failed: {2}", execute.Attempt, execute.ActionId, ended.Error.Message);
            report = new AttemptFinished(execute.RunId, execute.ActionId, execute.Attempt, OutcomeKind.Failed,
                null, ErrorInfo.From(ended.Error), retryable);
        }
        _runRegion.Tell(report);
    }

    private void EndAttempt(Exception reason)
    {
        _context?.Close(reason);
        _context = null;
        _cancellation?.Cancel();
        _cancellation?.Dispose();
        _cancellation = null;
    }

    protected override void PostStop()
    {
        // Stopped mid-attempt (moved by a rebalance, or stopped by its shard): tell the run, which starts
        // another attempt, unless the whole node is shutting down, when the run stops too and resumes later.
        if (_attemptOpen && CoordinatedShutdown.Get(Context.System).ShutdownReason is null)
        {
            var execute = _current!;
            _runRegion.Tell(new AttemptFinished(execute.RunId, execute.ActionId, execute.Attempt, OutcomeKind.Interrupted,
                null, new ErrorInfo("Fanout.AttemptInterrupted", $"attempt {execute.Attempt} was stopped before it ended", null),
                Retryable: true));
        }
        EndAttempt(new FanoutException($"action {_actionId} stopped on this node"));
        base.PostStop();
    }

    /// <summary>The body of attempt <see cref="Attempt"/> returned or threw. Local only.</summary>
    private sealed record BodyEnded(int Attempt, string? ResultJson, Exception? Error) : INoSerializationVerificationNeeded;
}
