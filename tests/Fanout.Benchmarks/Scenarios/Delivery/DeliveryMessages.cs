namespace Fanout.Benchmarks.Scenarios.Delivery;

// The delivery scenarios' traffic, shaped like Fanout's: a run sends attempts (ExecuteAction, about
// 200 bytes) to an executor, which answers each with a report (AttemptFinished) of about the same size.
// Every message here crosses the loopback between the two actor systems through DeliveryBenchSerializer.

/// <summary>Marks the messages <see cref="DeliveryBenchSerializer"/> writes.</summary>
internal interface IDeliveryBenchMessage;

/// <summary>An attempt sent by run <see cref="Producer"/>: its <see cref="Seq"/>-th. Travels in a <see cref="WorkBatch"/>.</summary>
internal sealed record Work(int Producer, long Seq, byte[] Payload);

/// <summary>The executor's report on the attempt <see cref="Seq"/> of run <see cref="Producer"/>. Travels in a <see cref="DoneBatch"/>.</summary>
internal sealed record Done(int Producer, long Seq, byte[] Payload);

/// <summary>Attempts of one run sent together, as a run sends ExecuteActions (one attempt where a variant sends them singly).</summary>
internal sealed record WorkBatch(IReadOnlyList<Work> Items) : IDeliveryBenchMessage;

/// <summary>Reports for one run sent together, as an executor sends AttemptsFinished.</summary>
internal sealed record DoneBatch(int Producer, IReadOnlyList<Done> Items) : IDeliveryBenchMessage;

/// <summary>The run got these reports: the executor may forget them (Fanout's ReportsAcknowledged).</summary>
internal sealed record DoneAcknowledged(int Producer, IReadOnlyList<long> Seqs) : IDeliveryBenchMessage;

/// <summary>Tells a run to start sending its attempts. Local only.</summary>
internal sealed class StartSending
{
    public static readonly StartSending Instance = new();

    private StartSending()
    {
    }
}

/// <summary>The fixed bodies carried: what an ExecuteAction's input or an AttemptFinished's result weighs.</summary>
internal static class DeliveryPayload
{
    public const int Bytes = 200;

    public static readonly byte[] Input = Enumerable.Range(0, Bytes).Select(i => (byte)('a' + i % 26)).ToArray();

    public static readonly byte[] Result = Enumerable.Range(0, Bytes).Select(i => (byte)('A' + i % 26)).ToArray();
}
