using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// A compact binary form of the delivery scenarios' messages. Every variant carries the same payloads
/// through it (Akka.Delivery's own envelopes wrap them through Akka.Cluster's serializer), so the
/// comparison is of the delivery protocols, not of Akka's default JSON serializer.
/// </summary>
internal sealed class DeliveryBenchSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4790;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        WorkBatch => "WB",
        DoneBatch => "DB",
        DoneAcknowledged => "DA",
        _ => throw new ArgumentException($"{nameof(DeliveryBenchSerializer)} cannot write {o.GetType()}", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            switch (obj)
            {
                case WorkBatch batch:
                    writer.Write(batch.Items.Count);
                    foreach (var work in batch.Items) Write(writer, work.Producer, work.Seq, work.Payload);
                    break;
                case DoneBatch batch:
                    writer.Write(batch.Producer);
                    writer.Write(batch.Items.Count);
                    foreach (var done in batch.Items) Write(writer, done.Producer, done.Seq, done.Payload);
                    break;
                case DoneAcknowledged acknowledged:
                    writer.Write(acknowledged.Producer);
                    writer.Write(acknowledged.Seqs.Count);
                    foreach (var seq in acknowledged.Seqs) writer.Write(seq);
                    break;
                default:
                    throw new ArgumentException($"{nameof(DeliveryBenchSerializer)} cannot write {obj.GetType()}", nameof(obj));
            }
        }
        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        switch (manifest)
        {
            case "WB":
            {
                var items = new Work[reader.ReadInt32()];
                for (var i = 0; i < items.Length; i++) items[i] = ReadWork(reader);
                return new WorkBatch(items);
            }
            case "DB":
            {
                var producer = reader.ReadInt32();
                var items = new Done[reader.ReadInt32()];
                for (var i = 0; i < items.Length; i++) items[i] = ReadDone(reader);
                return new DoneBatch(producer, items);
            }
            case "DA":
            {
                var producer = reader.ReadInt32();
                var seqs = new long[reader.ReadInt32()];
                for (var i = 0; i < seqs.Length; i++) seqs[i] = reader.ReadInt64();
                return new DoneAcknowledged(producer, seqs);
            }
            default:
                throw new SerializationException($"{nameof(DeliveryBenchSerializer)}: unknown manifest '{manifest}'");
        }
    }

    private static void Write(BinaryWriter writer, int producer, long seq, byte[] payload)
    {
        writer.Write(producer);
        writer.Write(seq);
        writer.Write(payload.Length);
        writer.Write(payload);
    }

    private static Work ReadWork(BinaryReader reader) => new(reader.ReadInt32(), reader.ReadInt64(), reader.ReadBytes(reader.ReadInt32()));

    private static Done ReadDone(BinaryReader reader) => new(reader.ReadInt32(), reader.ReadInt64(), reader.ReadBytes(reader.ReadInt32()));
}
