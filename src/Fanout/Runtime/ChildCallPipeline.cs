using Akka.Actor;
using Akka.Streams.Dsl;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Carries a parent attempt's child calls to its run as an Akka.Streams graph. Calls made while a
/// batch is on its way are batched together (so 10,000 calls in a loop travel as a few hundred
/// messages, while a lone sequential call goes out at once), and a batch leaves only when the run has
/// journaled all but the one before it: a busy run takes calls at its own pace, and the calls wait as
/// plain records in the parent's queue, not as messages in the run's mailbox.
/// </summary>
internal static class ChildCallPipeline
{
    public static void Start(ActionContext context, IActorRef runRegion, IActorRef replyTo, RuntimeSettings settings)
    {
        // Batches are bounded by weight (about the bytes on the wire) so one fits a remoting frame.
        ChannelSource.FromReader(context.Calls)
            .BatchWeighted(settings.ChildBatchBytes, call => WeightedChunks.Of(call.InputJson, call.ActionId),
                call => new List<ChildCall> { call }, (batch, call) =>
                {
                    batch.Add(call);
                    return batch;
                })
            // Two batches out at once: one being journaled while the next travels.
            .SelectAsync(2, batch => runRegion.Ask<ChildrenAccepted>(
                new StartChildren(context.RunId, context.ActionId, batch, replyTo), settings.ChildCallAckTimeout))
            .RunWith(Sink.Ignore<ChildrenAccepted>(), context.Materializer)
            .ContinueWith(
                done => context.Close(new FanoutException(
                    $"Run {context.RunId} did not accept child calls of action {context.ActionId}", done.Exception)),
                TaskContinuationOptions.OnlyOnFaulted);
    }
}
