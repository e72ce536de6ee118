using System.Diagnostics;
using System.Runtime.Serialization;
using System.Text;
using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Tests.Protocol;
using Xunit.Abstractions;

namespace Fanout.Tests.Fuzz;

/// <summary>
/// Fanout's serializer fed random bytes and mutated valid messages (bit flips, truncation, numbers and length
/// fields set huge, bytes inserted) for every manifest it knows. It may only throw <see cref="SerializationException"/>
/// (what Akka.NET expects of a serializer) whose inner exception is one of the decoders' expected failures, must never
/// hang, and must reject a length it cannot back with bytes before allocating for it. The seed is printed (FANOUT_FUZZ_SEED repeats it).
/// </summary>
public sealed class SerializerFuzzSpecs(ITestOutputHelper output) : TestKit(Actors.ActorSpecConfig.Hocon)
{
    private const int MutationsPerManifest = 1000;
    // A decode may allocate a few times its input (strings, records, JSON buffers), never gigabytes.
    private const long AllocationAllowance = 8 * 1024 * 1024;
    private static readonly TimeSpan DecodeDeadline = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What the decoders may fail with inside the <see cref="SerializationException"/>: malformed JSON or a value of the
    /// wrong type (STJ), a snapshot cut short or with a negative string length (BinaryReader), a bad 7-bit number, a
    /// name that is no enum member. Anything else (a NullReferenceException, say) is a bug in a decoder.
    /// </summary>
    private static readonly HashSet<Type> ExpectedCauses =
    [
        typeof(System.Text.Json.JsonException), typeof(EndOfStreamException), typeof(IOException), typeof(FormatException),
        typeof(ArgumentException),
    ];

    private FanoutSerializer Serializer => (FanoutSerializer)Sys.Serialization.FindSerializerFor(new RunAccepted("r"));

    [Fact]
    public void Random_and_mutated_bytes_for_every_manifest_throw_only_SerializationException() =>
        Run(Environment.GetEnvironmentVariable("FANOUT_FUZZ_SEED") is { } text ? int.Parse(text) : Random.Shared.Next());

    private void Run(int seed)
    {
        output.WriteLine($"serializer fuzz seed {seed} (FANOUT_FUZZ_SEED={seed} repeats it)");
        var serializer = Serializer;
        var valid = SerializerSpecs.Messages().Select(m => m[0])
            .Select(m => (Manifest: serializer.Manifest(m), Bytes: serializer.ToBinary(m)))
            .ToList();
        Assert.Equal(FanoutSerializer.KnownTypes.Count(), valid.Select(v => v.Manifest).Distinct().Count());

        var decoded = 0;
        var refused = 0;
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var (manifest, bytes) in valid)
        {
            var random = new Random(HashCode.Combine(seed, manifest, bytes.Length));
            for (var i = 0; i < MutationsPerManifest; i++)
            {
                var (how, mutated) = Mutate(random, bytes);
                switch (Decode(serializer, mutated, manifest))
                {
                    case null:
                        decoded++;
                        break;
                    case SerializationException { InnerException: var cause } when cause is null || ExpectedCauses.Contains(cause.GetType()):
                        refused++;
                        break;
                    case var other:
                        failures.Add($"manifest {manifest}, mutation {i} ({how}): {other.GetType().Name}: {other.Message}" +
                                     (other.InnerException is { } inner ? $" (cause {inner.GetType().FullName}: {inner.Message})\n{inner.StackTrace}" : ""));
                        break;
                }
            }
        }
        output.WriteLine($"{decoded + refused + failures.Count:N0} decodes in {clock.Elapsed.TotalSeconds:F1} s: {decoded:N0} read, " +
                         $"{refused:N0} refused with SerializationException, {failures.Count} otherwise");
        Assert.True(failures.Count == 0, $"seed {seed}:\n{string.Join("\n", failures.Take(30))}");
        Assert.True(refused > 0 && decoded > 0, $"the mutations neither all pass nor all fail ({decoded} read, {refused} refused)");
    }

    [Fact]
    public void A_snapshot_announcing_two_billion_actions_is_refused_before_allocating_for_them()
    {
        var bytes = CorruptSnapshots.AnnouncingActions(int.MaxValue);

        var error = Decode(Serializer, bytes, "S");

        Assert.IsType<SerializationException>(error);
        Assert.Contains("2147483647 actions", error!.Message);
    }

    [Fact]
    public void A_string_whose_length_prefix_says_two_gigabytes_is_refused_without_allocating_for_it()
    {
        Assert.IsType<SerializationException>(Decode(Serializer, CorruptSnapshots.WithRunIdClaiming(int.MaxValue), "S"));
    }

    [Fact]
    public void Unknown_manifests_and_empty_bytes_are_refused()
    {
        foreach (var manifest in new[] { "", "??", "S ", new string('L', 10_000) })
            Assert.IsType<SerializationException>(Decode(Serializer, [1, 2, 3], manifest));
        foreach (var manifest in SerializerSpecs.Messages().Select(m => Serializer.Manifest(m[0])).Distinct())
            Assert.IsType<SerializationException>(Decode(Serializer, [], manifest));
    }

    /// <summary>Decodes once, checking the deadline and the allocations; null when it read a message.</summary>
    private static Exception? Decode(FanoutSerializer serializer, byte[] bytes, string manifest)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            serializer.FromBinary(bytes, manifest);
        }
        catch (Exception e)
        {
            error = e;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(clock.Elapsed < DecodeDeadline, $"decoding {bytes.Length} bytes of manifest {manifest} took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(allocated < AllocationAllowance + 16L * bytes.Length,
            $"decoding {bytes.Length} bytes of manifest {manifest} allocated {allocated:N0} bytes");
        return error;
    }

    private static (string How, byte[] Bytes) Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(7))
        {
            case 0:
                for (var flips = random.Next(1, 9); flips > 0 && bytes.Length > 0; flips--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return ("bit flips", bytes);
            case 1:
                return ("truncated", bytes[..random.Next(bytes.Length)]);
            case 2:
                var noise = new byte[random.Next(1, 512)];
                random.NextBytes(noise);
                return ("random bytes", noise);
            case 3:
                // A length or count field (7-bit encoded in snapshots) or a number (JSON) made huge.
                var at = random.Next(bytes.Length);
                byte[] huge = random.Next(2) == 0 ? [0xFF, 0xFF, 0xFF, 0xFF, 0x07] : "99999999999999999999999"u8.ToArray();
                return ("a huge number", [.. bytes[..at], .. huge, .. bytes[Math.Min(bytes.Length, at + 1)..]]);
            case 4:
                var from = random.Next(bytes.Length);
                var insert = new byte[random.Next(1, 16)];
                random.NextBytes(insert);
                return ("bytes inserted", [.. bytes[..from], .. insert, .. bytes[from..]]);
            case 5:
                var text = Encoding.UTF8.GetString(bytes);
                var swapped = text.Replace("\"", random.Next(2) == 0 ? "'" : "", StringComparison.Ordinal)
                    .Replace("[", "{", StringComparison.Ordinal).Replace("null", "[]", StringComparison.Ordinal);
                return ("JSON punctuation swapped", Encoding.UTF8.GetBytes(swapped));
            default:
                var deep = Encoding.UTF8.GetBytes(new string('[', 10_000));
                return ("deep nesting", [.. bytes[..random.Next(bytes.Length)], .. deep]);
        }
    }
}
