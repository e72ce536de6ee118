using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Tests.Actors;

/// <summary>
/// Stands in front of a test probe as an executor: it answers a recovering run's <see cref="ReportAttempts"/>
/// with the reports the spec says it kept and then what it holds (nothing, by default), unpacks batches of
/// attempts, and passes everything else to the probe.
/// </summary>
internal sealed class ExecutorStub : ReceiveActor
{
    public ExecutorStub(IActorRef probe, IReadOnlyList<HeldAttempt> held, IReadOnlyList<AttemptFinished>? kept = null)
    {
        Receive<ReportAttempts>(report =>
        {
            if (kept is { Count: > 0 }) Sender.Tell(new AttemptsFinished(report.RunId, kept));
            Sender.Tell(new HeldAttempts(report.RunId, held));
        });
        // The probe sees each attempt on its own, however the run batched them.
        Receive<ExecuteActions>(batch =>
        {
            foreach (var execute in batch.Actions) probe.Forward(execute);
        });
        ReceiveAny(message => probe.Forward(message));
    }

    public static Props Props(IActorRef probe, params HeldAttempt[] held) =>
        Akka.Actor.Props.Create(() => new ExecutorStub(probe, held, null));

    public static Props WithKeptReports(IActorRef probe, IReadOnlyList<AttemptFinished> kept, params HeldAttempt[] held) =>
        Akka.Actor.Props.Create(() => new ExecutorStub(probe, held, kept));
}
