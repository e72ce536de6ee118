using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;

namespace Fanout.Protocol;

/// <summary>
/// Serializes every <see cref="IFanoutMessage"/> (messages between nodes, and journal events) as
/// UTF-8 JSON with a short, stable manifest per type. The manifest, not the CLR type name, is what is
/// stored, so renaming or moving a class does not orphan journaled events.
/// <para>
/// A message is about the size of what it carries: strings are escaped only as JSON requires
/// (<see cref="MinimalJsonEncoder"/>), and a payload (every string property named <c>...Json</c>) is embedded
/// as JSON rather than as a string escaped once more (<see cref="EmbeddedJsonConverter"/>), which still reads
/// the string form that journals written before hold.
/// </para>
/// </summary>
internal sealed class FanoutSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id bound in config; ids below 100 are reserved by Akka.</summary>
    public const int Id = 4711;

    private const string SnapshotManifest = "S";

    private static readonly FrozenDictionary<Type, string> ManifestByType = new Dictionary<Type, string>
    {
        [typeof(LedgerBatch)] = "L",
        [typeof(StartRun)] = "SR",
        [typeof(RunAccepted)] = "RA",
        [typeof(RunRefused)] = "RR",
        [typeof(StartChildren)] = "SC",
        [typeof(ChildrenAccepted)] = "CA",
        [typeof(ChildResults)] = "CR",
        [typeof(AttemptFinished)] = "AF",
        [typeof(AttemptsFinished)] = "AFS",
        [typeof(Fanout.Clustering.ExecutorDraining)] = "XD",
        [typeof(Fanout.Clustering.ExecutorLoad)] = "XL",
        [typeof(Fanout.Clustering.GetExecutorStatus)] = "XQ",
        [typeof(Fanout.Clustering.ExecutorStatus)] = "XS",
        [typeof(Fanout.Operations.LeaveGracefully)] = "OL",
        [typeof(Fanout.Operations.LeavingGracefully)] = "OLA",
        [typeof(CancelRun)] = "XR",
        [typeof(ExecuteAction)] = "EA",
        [typeof(ExecuteActions)] = "EAS",
        [typeof(CancelAction)] = "XA",
        [typeof(ReportAttempts)] = "RP",
        [typeof(HeldAttempts)] = "HA",
        [typeof(AbandonAttempt)] = "AB",
        [typeof(AttemptsHeld)] = "AH",
        [typeof(ReportsAcknowledged)] = "RAK",
        [typeof(ChildResultsReceived)] = "CRR",
        [typeof(GetRunSummary)] = "GS",
        [typeof(RunSummaryReply)] = "GSR",
        [typeof(ListActions)] = "LA",
        [typeof(ActionPageReply)] = "LAR",
        [typeof(GetActionDetail)] = "GD",
        [typeof(ActionDetailReply)] = "GDR",
        [typeof(AwaitRun)] = "AW",
        [typeof(RunStillGoing)] = "AWS",
        [typeof(RunOutcome)] = "RO",
        [typeof(RunUnavailable)] = "RU",
        [typeof(ListRuns)] = "LR",
        [typeof(RunsListed)] = "LRR",
        [typeof(RunSnapshot)] = SnapshotManifest,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Type> TypeByManifest =
        ManifestByType.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);


    private readonly JsonSerializerOptions _options;

    public FanoutSerializer(ExtendedActorSystem system) : base(system)
    {
        _options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new ActorRefJsonConverter(system), new JsonStringEnumConverter() },
            Encoder = MinimalJsonEncoder.Instance,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { EmbedPayloads } },
        };
    }

    /// <summary>Payload JSON travels as JSON: by convention, the string properties whose names end in "Json".</summary>
    private static void EmbedPayloads(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in type.Properties)
        {
            if (property.PropertyType == typeof(string) && property.Name.EndsWith("Json", StringComparison.Ordinal))
                property.CustomConverter = EmbeddedJsonConverter.Instance;
        }
    }

    public override int Identifier => Id;

    public override byte[] ToBinary(object obj) => obj switch
    {
        EncodedRunSnapshot encoded => encoded.Bytes, // encoded by the run, read back as a RunSnapshot
        RunSnapshot snapshot => RunSnapshotCodec.Write(snapshot),
        _ => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options),
    };

    /// <summary>Reads a message or event back.</summary>
    /// <exception cref="SerializationException">
    /// The manifest is unknown or the bytes are not such a message (corrupt, truncated, of another version); the
    /// decoder's own exception is the inner one. Akka.NET drops an undecodable remote message and keeps going.
    /// </exception>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypeByManifest.TryGetValue(manifest, out var type))
            throw new SerializationException($"Fanout cannot read a message with unknown manifest '{Shown(manifest)}'");
        try
        {
            if (manifest == SnapshotManifest) return RunSnapshotCodec.Read(bytes);
            return JsonSerializer.Deserialize(bytes, type, _options)
                   ?? throw new SerializationException($"Fanout read a null message for manifest '{manifest}'");
        }
        catch (Exception e) when (e is not (SerializationException or OutOfMemoryException))
        {
            throw new SerializationException(
                $"Fanout cannot read {bytes.Length} bytes as a message of manifest '{manifest}' ({type.Name}): {e.Message}", e);
        }
    }

    private static string Shown(string manifest) => manifest.Length <= 40 ? manifest : manifest[..40] + "...";

    public override string Manifest(object o) =>
        o is EncodedRunSnapshot ? SnapshotManifest :
        ManifestByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException(
                $"{o.GetType().FullName} is marked for Fanout's serializer but has no manifest; add it to {nameof(FanoutSerializer)}");

    /// <summary>The message types this serializer knows, for tests that check every one round-trips.</summary>
    internal static IEnumerable<Type> KnownTypes => ManifestByType.Keys;
}
