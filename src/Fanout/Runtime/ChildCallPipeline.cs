using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>
/// Carries a parent attempt's child calls to its run as an Akka.Streams graph. Calls made while a
/// batch is on its way are batched together (so 10,000 calls in a loop travel as a few hundred
/// messages, while a lone sequential call goes out at once), and a batch leaves only when the run has
/// journaled all but the one before it: a busy run takes calls at its own pace, and the calls wait as
/// plain records in the parent's queue, not as messages in the run's mailbox.
///
/// A batch the run does not acknowledge in time (the message was lost, the run is restarting, its journal
/// is down) or could not journal (<see cref="RunUnavailable"/>) is sent again, with backoff, for as long as
/// the attempt lives: a stall of any length pauses the parent instead of failing it. Sending a batch twice
/// is harmless: the run knows a call by its id, so a call it has already taken only gains the parent as a
/// waiter (and a finished one answers again, which the parent ignores).
/// </summary>
internal static class ChildCallPipeline
{
    private static readonly TimeSpan FirstResendBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxResendBackoff = TimeSpan.FromSeconds(4);

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
            .SelectAsync(2, batch => SendUntilAcceptedAsync(context, runRegion,
                new StartChildren(context.RunId, context.ActionId, batch, replyTo), settings))
            .RunWith(Sink.Ignore<ChildrenAccepted>(), context.Materializer)
            .ContinueWith(
                done => context.Close(new FanoutException(
                    $"Run {context.RunId} did not accept child calls of action {context.ActionId}", done.Exception)),
                TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>Sends the batch until the run acknowledges it; ends (cancelled) only when the attempt ends.</summary>
    private static async Task<ChildrenAccepted> SendUntilAcceptedAsync(ActionContext context, IActorRef runRegion, StartChildren batch,
        RuntimeSettings settings)
    {
        var started = DateTime.UtcNow;
        for (var resends = 0; ; resends++)
        {
            // Short at first, so a lost batch costs seconds; longer with every send, so a run that is slow to
            // journal (busy, or its database stalling) is not flooded with copies.
            var ackTimeout = AckTimeout(resends, settings);
            string why;
            try
            {
                var reply = await runRegion.Ask<object>(batch, ackTimeout, context.Cancellation).ConfigureAwait(false);
                if (reply is ChildrenAccepted accepted)
                {
                    if (resends > 0)
                        Log(context)?.Info("Run {0} accepted the child calls of action {1} after {2} resend(s) over {3:F0} s",
                            context.RunId, context.ActionId, resends, (DateTime.UtcNow - started).TotalSeconds);
                    return accepted;
                }
                why = reply is RunUnavailable unavailable ? unavailable.Reason : $"unexpected answer {reply.GetType().Name}";
            }
            catch (AskTimeoutException)
            {
                why = $"no answer within {ackTimeout.TotalSeconds:F0} s";
            }
            // Logged at the first resend and then about once a minute, not at every one.
            if (resends % 15 == 0)
                Log(context)?.Warning("Run {0} has not accepted {1} child call(s) of action {2} for {3:F0} s ({4}); sending them again until it does",
                    context.RunId, batch.Calls.Count, context.ActionId, (DateTime.UtcNow - started).TotalSeconds, why);
            await Task.Delay(ResendBackoff(resends), context.Cancellation).ConfigureAwait(false);
        }
    }

    private static TimeSpan AckTimeout(int resends, RuntimeSettings settings)
    {
        var first = Math.Min(settings.FirstChildCallAckTimeout.TotalMilliseconds, settings.ChildCallAckTimeout.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Min(settings.ChildCallAckTimeout.TotalMilliseconds, first * Math.Pow(2, Math.Min(resends, 10))));
    }

    private static TimeSpan ResendBackoff(int resends) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxResendBackoff.TotalMilliseconds, FirstResendBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(resends, 10))));

    private static ILoggingAdapter? Log(ActionContext context) => (context.Materializer as ActorMaterializer)?.Logger;
}
