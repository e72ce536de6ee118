using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Fanout.Diagnostics;
using Fanout.Protocol;

namespace Fanout.Runtime.Execution;

/// <summary>
/// Runs actions on this node: one executor per node, at most <see cref="RuntimeSettings.ActionSlots"/>
/// bodies at once, the rest queued in arrival order up to <see cref="RuntimeSettings.MaxWaitingActions"/>
/// (beyond that it turns attempts away: ActionExecutor.Load.cs). It holds no durable state (the run journals
/// everything) and creates no actor per action: at a million actions a run, an actor per action (let
/// alone a sharded entity, with its creation and passivation handshakes) costs more than the work.
///
/// It looks each task up in this node's catalog, runs the body with the action's context (so child calls
/// become child actions), enforces the timeout, fires the body's token on cancellation, hands children's
/// outcomes to the parent awaiting them, and reports ended attempts to their runs in batches.
///
/// Nothing it sends is trusted to arrive (remoting delivers at most once): reports are kept until their
/// run acknowledges them (<see cref="ReportOutbox"/>), children's outcomes are acknowledged to the run,
/// and every few seconds each run hears which of its attempts this executor still holds (a lease), so a
/// run tells an attempt that is still running from one that never arrived (ActionExecutor.Delivery.cs).
/// </summary>
internal sealed partial class ActionExecutor : UntypedActor, IWithTimers
{
    private const int MaxReportsPerMessage = 500;
    private const long MaxReportBytes = 64 * 1024; // half of Akka.Remote's default frame

    private readonly Func<IActorRef> _runRegion;
    private readonly RuntimeSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly Dictionary<string, ExecutorAttempt> _attempts = new(StringComparer.Ordinal);
    private readonly Queue<ExecutorAttempt> _waiting = new();
    private int _waitingCount; // attempts in _waiting that are still current: dropped ones stay queued until dequeued
    private int _busySlots;

    private readonly Dictionary<string, List<AttemptFinished>> _reports = new(StringComparer.Ordinal);
    private readonly ReportOutbox _outbox;
    private bool _flushScheduled;

    // Used from bodies' threads, where Context.Self is not available.
    private readonly IActorRef _self = Context.Self;
    private readonly Action<ActionContext> _startCallPipeline;

    // runRegion is a function because the run region starts after this executor.
    public ITimerScheduler Timers { get; set; } = null!;

    public ActionExecutor(Func<IActorRef> runRegion, RuntimeSettings settings, IMaterializer materializer)
    {
        _runRegion = runRegion;
        _startCallPipeline = StartCallPipeline;
        _settings = settings;
        _materializer = materializer;
        _outbox = new ReportOutbox(settings.ResendAfter, settings.MaxResendInterval);
    }

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer("lease", LeaseDue.Instance, _settings.LeaseInterval);
        Timers.StartPeriodicTimer("receipts", ReceiptsDue.Instance, _settings.ReceiptInterval);
        Timers.StartPeriodicTimer("load", LoadDue.Instance, _settings.LoadReportInterval);
        _loadGauges = NodeLoads.Register(NodeName(Context.System), () => (_attempts.Count - _waitingCount, _waitingCount));
    }

    private IDisposable? _loadGauges;

    /// <summary>The node as the gauges name it: host:port, as a run's ledger does.</summary>
    private static string NodeName(ActorSystem system) =>
        ((ExtendedActorSystem)system).Provider.DefaultAddress is { Host: { } host, Port: { } port } ? $"{host}:{port}" : system.Name;

    public static Props Props(Func<IActorRef> runRegion, RuntimeSettings settings, IMaterializer materializer) =>
        Akka.Actor.Props.Create(() => new ActionExecutor(runRegion, settings, materializer));

    /// <summary>How many bodies run now and how many attempts wait for a slot, for tests and the benchmark.</summary>
    internal sealed record Load(int Running, int Waiting);

    /// <summary>Asks the executor for its <see cref="Load"/>. Local only.</summary>
    internal sealed class GetLoad : INoSerializationVerificationNeeded
    {
        public static readonly GetLoad Instance = new();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ExecuteAction execute:
                OnExecute(execute);
                break;
            case ExecuteActions batch:
                foreach (var execute in batch.Actions) OnExecute(execute);
                break;
            case Drain drain:
                StartDraining(drain);
                break;
            case DrainDeadline:
                InterruptAll("was still running when its node's drain time ran out; it runs again on another node");
                break;
            case BodyEnded ended:
                OnBodyEnded(ended);
                break;
            case ChildResults results:
                OnChildResults(results);
                break;
            case ReportsAcknowledged acknowledged:
                _outbox.Acknowledge(acknowledged.RunId, acknowledged.Reports);
                if (_draining is not null) ReplyIfDrained();
                break;
            case LeaseDue:
                SendLeases();
                break;
            case ReceiptsDue:
                SendReceipts();
                break;
            case LoadDue:
                ReportLoad();
                break;
            case BecameParent became:
                if (_attempts.TryGetValue(became.Context.ActionId, out var attempt) && ReferenceEquals(attempt.Context, became.Context))
                {
                    attempt.IsParent = true;
                    _settings.Hooks.Observer?.BodyWaitsForChildren(attempt.Execute);
                    ReleaseSlot(attempt);
                    if (_draining is not null) Interrupt(attempt, ParentHandedOff);
                }
                break;
            case CancelAction cancel:
                Cancel(cancel);
                break;
            case ReportAttempts report:
                AnswerReattach(report.RunId);
                break;
            case AbandonAttempt abandon:
                if (_attempts.TryGetValue(abandon.ActionId, out var abandoned) && abandoned.Execute.Attempt <= abandon.Attempt)
                    Drop(abandoned, new FanoutException($"attempt {abandoned.Execute.Attempt} of action {abandon.ActionId} was abandoned: its run moved on"));
                break;
            case FlushReports:
                _flushScheduled = false;
                FlushReportsNow();
                break;
            case GetLoad:
                Sender.Tell(new Load(_attempts.Count - _waitingCount, _waitingCount));
                break;
            case Fanout.Clustering.GetExecutorStatus:
                Sender.Tell(Status());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnExecute(ExecuteAction execute)
    {
        // Its node is leaving: the run starts the attempt elsewhere (it learns of the leave soon after).
        if (_draining is not null) QueueReport(new ExecutorAttempt(execute).Interrupted("reached a node that is leaving the cluster"));
        else Accept(execute);
    }

    private void Accept(ExecuteAction execute)
    {
        if (_attempts.TryGetValue(execute.ActionId, out var existing))
        {
            if (existing.Execute.Attempt >= execute.Attempt)
            {
                // A duplicate (its run heard nothing of it yet: confirm it again), or older than the one held.
                if (existing.Execute.Attempt == execute.Attempt) NoteReceived(existing);
                return;
            }
            // The run moved on to a later attempt (it lost track of this one): only the later one may report.
            Drop(existing, new FanoutException($"attempt {existing.Execute.Attempt} was superseded by attempt {execute.Attempt}"));
        }
        else if (_outbox.Find(execute.RunId, execute.ActionId, execute.Attempt) is { } kept)
        {
            // Sent again because the run never heard how it ended: the report was lost, not the attempt.
            SendReports(execute.RunId, [kept], Sender);
            return;
        }

        if (IsFull)
        {
            TurnAway(execute);
            return;
        }

        var attempt = new ExecutorAttempt(execute, NowMs());
        _attempts[execute.ActionId] = attempt;
        NoteReceived(attempt);
        if (_busySlots < _settings.ActionSlots)
        {
            Start(attempt);
            return;
        }
        attempt.IsWaiting = true;
        _waitingCount++;
        _waiting.Enqueue(attempt);
    }

    private void Start(ExecutorAttempt attempt)
    {
        attempt.HoldsSlot = true;
        _busySlots++;
        var execute = attempt.Execute;

        if (!TryFindTask(execute.TaskName, out var task))
        {
            Self.Tell(new BodyEnded(attempt, null, new UnknownTaskException(execute.TaskName, TaskCatalog.Names)));
            return;
        }

        var cancellation = new CancellationTokenSource();
        var context = new ActionContext(execute.RunId, execute.ActionId, execute.Attempt, _materializer,
            _settings.MaxPayloadBytes, _startCallPipeline, cancellation.Token);
        attempt.Cancellation = cancellation;
        attempt.Context = context;

        var timeout = execute.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(execute.TimeoutMs) : (TimeSpan?)null;
        _settings.Hooks.Observer?.BodyStarted(execute);
        _ = Task.Run(async () =>
        {
            ActionContext.Current = context;
            // Started and ended on the body's flow: it is the body's Activity.Current, never the executor thread's.
            var span = AttemptTracing.StartAttempt(execute);
            context.Trace = AttemptTracing.Of(span);
            try
            {
                var result = await RunBodyAsync(task, execute.InputJson, timeout, cancellation).ConfigureAwait(false);
                PayloadLimit.Check(result, context.MaxPayloadBytes, task.Name, "output");
                AttemptTracing.End(span, null, cancelled: false);
                _self.Tell(new BodyEnded(attempt, result, null));
            }
            catch (Exception e)
            {
                AttemptTracing.End(span, e, cancelled: attempt.CancelReason is not null);
                _self.Tell(new BodyEnded(attempt, null, e));
            }
        });
    }

    /// <summary>
    /// Starts a parent's call pipeline on its first child call (on the body's thread, not this actor's), and
    /// tells the executor, which gives the parent's slot back. One delegate serves every attempt.
    /// </summary>
    private void StartCallPipeline(ActionContext context)
    {
        ChildCallPipeline.Start(context, _runRegion(), _self, _settings);
        _self.Tell(new BecameParent(context));
    }

    /// <summary>The body that runs task <paramref name="name"/>: a test's stub on this runtime (Fanout.TestKit) comes before the process's task.</summary>
    private bool TryFindTask(string name, out TaskBody task)
    {
        if (_settings.Hooks.Tasks?.Find(name) is { } stub) task = new TaskBody(name, stub);
        else if (TaskCatalog.TryGet(name, out var defined)) task = new TaskBody(name, defined.ExecuteJsonAsync);
        else
        {
            task = default;
            return false;
        }
        return true;
    }

    private async Task<string> RunBodyAsync(
        TaskBody task, string inputJson, TimeSpan? timeout, CancellationTokenSource cancellation)
    {
        var body = task.ExecuteJsonAsync(inputJson, cancellation.Token);
        if (timeout is not { } limit) return await body.ConfigureAwait(false);

        // The token fires at the limit, but a body may ignore it: the attempt ends at the limit either way.
        using var timer = new CancellationTokenSource();
        var winner = await Task.WhenAny(body, _settings.Hooks.Clock.Delay(limit, timer.Token)).ConfigureAwait(false);
        if (winner == body)
        {
            await timer.CancelAsync().ConfigureAwait(false);
            return await body.ConfigureAwait(false);
        }
        await cancellation.CancelAsync().ConfigureAwait(false);
        _ = body.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        throw new TimeoutException($"Task '{task.Name}' timed out after {limit.TotalSeconds:0.###} s");
    }

    private void OnBodyEnded(BodyEnded ended)
    {
        var attempt = ended.Attempt;
        if (!IsCurrent(attempt)) return; // superseded or dropped: its run no longer waits for it

        var report = attempt.Report(ended.ResultJson, ended.Error);
        if (report.Kind == OutcomeKind.Failed && _log.IsDebugEnabled)
            _log.Debug("Attempt {0} of {1} failed: {2}", report.Attempt, report.ActionId, ended.Error?.Message);
        Drop(attempt, new FanoutException($"attempt {report.Attempt} of action {report.ActionId} has ended"), report);
        QueueReport(report);
        if (_draining is not null) ReplyIfDrained();
    }

    private void Cancel(CancelAction cancel)
    {
        if (!_attempts.TryGetValue(cancel.ActionId, out var attempt)) return;
        attempt.CancelReason = cancel.Reason;
        if (attempt.IsRunning)
        {
            attempt.Cancellation?.Cancel(); // the body ends and its report says cancelled
            return;
        }
        Drop(attempt, new OperationCanceledException(cancel.Reason));
        QueueReport(attempt.Report(null, new OperationCanceledException($"cancelled before it started: {cancel.Reason}")));
    }

    /// <summary>
    /// Forgets the attempt, ends its body if it runs, and gives its slot to the next one waiting. The report says how
    /// its body ended, when it did; null when the executor drops it.
    /// </summary>
    private void Drop(ExecutorAttempt attempt, Exception reason, AttemptFinished? report = null)
    {
        _settings.Hooks.Observer?.AttemptEnded(attempt.Execute, report);
        _attempts.Remove(attempt.Execute.ActionId);
        if (attempt.IsWaiting)
        {
            attempt.IsWaiting = false;
            _waitingCount--;
        }
        attempt.End(reason);
        ReleaseSlot(attempt);
    }

    private void ReleaseSlot(ExecutorAttempt attempt)
    {
        if (!attempt.HoldsSlot) return;
        attempt.HoldsSlot = false;
        _busySlots--;
        while (_busySlots < _settings.ActionSlots && _waiting.TryDequeue(out var next))
        {
            if (!next.IsWaiting) continue; // dropped while it waited
            next.IsWaiting = false;
            _waitingCount--;
            Start(next);
        }
    }

    private bool IsCurrent(ExecutorAttempt attempt) =>
        _attempts.TryGetValue(attempt.Execute.ActionId, out var current) && ReferenceEquals(current, attempt);

    // ---- reports, batched per run -------------------------------------------------------------

    private void QueueReport(AttemptFinished report)
    {
        if (!_reports.TryGetValue(report.RunId, out var reports)) _reports[report.RunId] = reports = [];
        reports.Add(report);
        if (_flushScheduled) return;
        // Bodies that end while this message is handled are already in the mailbox, ahead of the flush:
        // they travel in the same batch, and a lone report leaves at once.
        _flushScheduled = true;
        Self.Tell(FlushReports.Instance);
    }

    private void FlushReportsNow()
    {
        if (_reports.Count == 0) return;
        var runRegion = _runRegion();
        var now = NowMs();
        foreach (var (runId, reports) in _reports)
        {
            foreach (var report in reports) _outbox.Keep(report, now);
            SendReports(runId, reports, runRegion);
        }
        _reports.Clear();
    }

    /// <summary>Sends reports of one run in messages a frame can carry, to its region or straight to the run.</summary>
    private void SendReports(string runId, IReadOnlyList<AttemptFinished> reports, IActorRef to)
    {
        var chunks = WeightedChunks.SplitForWire(reports, MaxReportsPerMessage, MaxReportBytes,
            r => WeightedChunks.Of(r.ResultJson, r.ActionId, r.Error), TooLargeToSend.Report);
        foreach (var chunk in chunks)
            to.Tell(new AttemptsFinished(runId, chunk, Draining: _draining is not null, Full: chunk.Any(IsTurnedAway)));
    }

    protected override void PostStop()
    {
        // Stopped with attempts open (a restart after a fault, not the node shutting down): tell their runs,
        // which start other attempts. When the node shuts down its runs stop too and resume later.
        if (CoordinatedShutdown.Get(Context.System).ShutdownReason is null)
        {
            foreach (var attempt in _attempts.Values)
                QueueReport(attempt.Interrupted(attempt.IsRunning ? "was stopped before it ended" : "was dropped before it started"));
            FlushReportsNow();
        }
        foreach (var attempt in _attempts.Values) attempt.End(new FanoutException($"the executor running action {attempt.Execute.ActionId} stopped"));
        _attempts.Clear();
        _waiting.Clear();
        _waitingCount = 0;
        _loadGauges?.Dispose();
        base.PostStop();
    }

    /// <summary>An attempt's body returned or threw. Local only.</summary>
    private sealed record BodyEnded(ExecutorAttempt Attempt, string? ResultJson, Exception? Error) : INoSerializationVerificationNeeded;

    private static long NowMs() => Environment.TickCount64;

    /// <summary>The attempt running with this context made its first child call. Local only.</summary>
    private sealed record BecameParent(ActionContext Context) : INoSerializationVerificationNeeded;

    /// <summary>What runs an action: the task's name and its body, JSON in and out.</summary>
    private readonly record struct TaskBody(string Name, Func<string, CancellationToken, Task<string>> ExecuteJsonAsync);

    private sealed class FlushReports : INoSerializationVerificationNeeded
    {
        public static readonly FlushReports Instance = new();
    }
}
