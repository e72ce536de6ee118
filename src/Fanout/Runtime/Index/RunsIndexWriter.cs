using Akka.Actor;
using Akka.Event;

namespace Fanout.Runtime.Index;

/// <summary>
/// The one writer of the runs index on a node: every run on the node hands it its rows
/// (<see cref="IndexRun"/>), and it writes all that gathered while its previous write was in flight in one
/// transaction, keeping only the newest row per run. A run never waits for it, except a run's start, whose
/// answer it sends itself once the run's row is durable (so a run whose start was answered is always in the
/// index). A write that fails (the database is down) is tried again with backoff, with what gathered
/// meanwhile, until it succeeds: no row is lost and no run fails for it.
/// </summary>
internal sealed class RunsIndexWriter : ReceiveActor, IWithTimers
{
    public const string Name = "fanout-runs-index";

    private static readonly TimeSpan FirstRetryBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromSeconds(10);

    private readonly RunsIndexStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private bool _writing;
    private int _failures;

    public RunsIndexWriter(RunsIndexStore store)
    {
        _store = store;
        Receive<IndexRun>(index =>
        {
            Add(index.Entry, index.Replies);
            WriteIfIdle();
        });
        Receive<Written>(written =>
        {
            _writing = false;
            if (_failures > 0) _log.Info("The runs index is written again after {0} failed attempt(s)", _failures);
            _failures = 0;
            foreach (var pending in written.Batch.Values)
                foreach (var (to, reply) in pending.Replies) to.Tell(reply);
            WriteIfIdle();
        });
        Receive<WriteFailed>(failed =>
        {
            _writing = false;
            _failures++;
            // Newer rows that came meanwhile win; the replies of the failed ones still wait for a write.
            foreach (var pending in failed.Batch.Values) Add(pending.Entry, pending.Replies);
            var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxRetryBackoff.TotalMilliseconds,
                FirstRetryBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 10))));
            _log.Warning("Writing {0} row(s) of the runs index failed ({1}); trying again in {2:F1} s",
                failed.Batch.Count, failed.Cause.Message, backoff.TotalSeconds);
            Timers.StartSingleTimer("retry", Retry.Instance, backoff);
        });
        Receive<Retry>(_ => WriteIfIdle());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RunsIndexStore store) => Akka.Actor.Props.Create(() => new RunsIndexWriter(store));

    private void Add(RunIndexEntry entry, IReadOnlyList<(IActorRef To, object Reply)> replies)
    {
        if (_pending.TryGetValue(entry.RunId, out var held))
        {
            var newest = held.Entry.Version > entry.Version ? held.Entry : entry;
            // A newer row may not know what an older one did (who chose the id): keep it.
            newest = newest with { CallerChosenId = newest.CallerChosenId ?? held.Entry.CallerChosenId ?? entry.CallerChosenId };
            held.Entry = newest;
            held.Replies.AddRange(replies);
            return;
        }
        _pending[entry.RunId] = new Pending(entry, [.. replies]);
    }

    private void WriteIfIdle()
    {
        if (_writing || _pending.Count == 0 || Timers.IsTimerActive("retry")) return;
        var batch = _pending;
        _pending = new Dictionary<string, Pending>(StringComparer.Ordinal);
        _writing = true;
        _store.UpsertAsync(batch.Values.Select(p => p.Entry).ToList(), CancellationToken.None)
            .PipeTo(Self, success: () => new Written(batch), failure: e => new WriteFailed(batch, e));
    }

    /// <summary>
    /// A run's row to write; once durable, each reply goes to its recipient (a start's answer waits for it).
    /// Local to the node, like the writer.
    /// </summary>
    internal sealed record IndexRun(RunIndexEntry Entry, IReadOnlyList<(IActorRef To, object Reply)> Replies)
        : INoSerializationVerificationNeeded
    {
        public IndexRun(RunIndexEntry entry) : this(entry, []) { }
    }

    private sealed class Pending(RunIndexEntry entry, List<(IActorRef To, object Reply)> replies)
    {
        public RunIndexEntry Entry { get; set; } = entry;
        public List<(IActorRef To, object Reply)> Replies { get; } = replies;
    }

    private sealed record Written(Dictionary<string, Pending> Batch) : INoSerializationVerificationNeeded;

    private sealed record WriteFailed(Dictionary<string, Pending> Batch, Exception Cause) : INoSerializationVerificationNeeded;

    private sealed class Retry : INoSerializationVerificationNeeded
    {
        public static readonly Retry Instance = new();
    }
}
