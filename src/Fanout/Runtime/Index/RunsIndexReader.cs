using Akka.Actor;
using Akka.Event;
using Fanout.Protocol;

namespace Fanout.Runtime.Index;

/// <summary>
/// Answers a client member's <see cref="ListRuns"/> from this worker's runs index: a client has no database, and
/// the workers share the journal database the index lives in, so any worker gives the same answer.
/// </summary>
internal sealed class RunsIndexReader : ReceiveActor
{
    public const string Name = "fanout-runs-index-reader";

    // A list is one indexed query; one that takes longer than this is answered as failed rather than held.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    public RunsIndexReader(RunsIndexStore store)
    {
        var log = Context.GetLogger();
        Receive<ListRuns>(request =>
        {
            var sender = Sender;
            try
            {
                request.Query.Validate();
            }
            catch (ArgumentException e)
            {
                sender.Tell(new RunsListed(null, e.Message, null));
                return;
            }
            // Answered from a task of its own, so one slow query does not hold the next request.
            _ = AnswerAsync(store, request.Query, sender, log);
        });
    }

    public static Props Props(RunsIndexStore store) => Akka.Actor.Props.Create(() => new RunsIndexReader(store));

    private static async Task AnswerAsync(RunsIndexStore store, RunListQuery query, IActorRef sender, ILoggingAdapter log)
    {
        using var timeout = new CancellationTokenSource(QueryTimeout);
        try
        {
            sender.Tell(new RunsListed(await store.ListAsync(query, timeout.Token).ConfigureAwait(false), null, null));
        }
        catch (Exception e)
        {
            log.Warning(e, "Listing runs for a client failed");
            sender.Tell(new RunsListed(null, null, $"the runs index could not be read ({e.GetType().Name}; the worker's log says why)"));
        }
    }
}
