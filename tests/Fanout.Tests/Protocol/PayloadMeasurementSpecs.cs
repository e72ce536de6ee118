using System.Text;
using System.Text.Json;
using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Protocol;

/// <summary>Payloads are measured, stored and sent as UTF-8 JSON escaped only as JSON requires, and read back as before.</summary>
public sealed class PayloadMeasurementSpecs
{
    private const int OneMiB = 1024 * 1024;
    private const string Unit = "\"é€😀 "; // JSON: \" (2) é (2) € (3) 😀 (4) space (1) = 12 bytes

    [Fact]
    public void Nine_hundred_KB_of_quotes_and_accents_is_accepted_under_a_1_MiB_limit()
    {
        var text = Repeat(Unit, 900 * 1024 / 12);
        var json = PayloadJson.Serialize(text);

        Assert.Equal(900 * 1024 + 2, Encoding.UTF8.GetByteCount(json));
        PayloadLimit.Check(json, OneMiB, "env.t", "output");
        // What was measured before: the default encoder's six-byte escapes made it 2.3 MB.
        Assert.True(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(text)) > 2 * OneMiB);
    }

    [Fact]
    public void One_point_one_MB_of_the_same_is_refused_naming_its_size_and_the_limit()
    {
        var json = PayloadJson.Serialize(Repeat(Unit, 1_100_000 / 12));

        var error = Assert.Throws<PayloadTooLargeException>(() => PayloadLimit.Check(json, OneMiB, "env.t", "output"));

        Assert.Equal(Encoding.UTF8.GetByteCount(json), error.Bytes);
        Assert.Equal(1_099_994, error.Bytes);
        Assert.Equal(OneMiB, error.Limit);
        Assert.Equal("env.t", error.TaskName);
        Assert.StartsWith("The output of task 'env.t' is 1,099,994 bytes as JSON, over the limit of 1,048,576 bytes", error.Message);
    }

    [Fact]
    public void Only_what_JSON_requires_is_escaped()
    {
        Assert.Equal("\"\\\"é€😀 <>&'+\\\\\\n\\t\\u0001\u007f\u2028\"", PayloadJson.Serialize("\"é€😀 <>&'+\\\n\t\u0001\u007f\u2028"));
        Assert.Equal("{\"ключ\":[\"ü\"]}", PayloadJson.Serialize(new Dictionary<string, string[]> { ["ключ"] = ["ü"] }));
    }

    public static IEnumerable<object[]> Values() =>
    [
        ["\"é€😀 <>&'+\\\n\t\r\b\f\u0001\u001f\u007f\u2028\u2029\ufeff"],
        ["lone \ud800 and \udc00 surrogates, and a pair cut short \ud83d"],
        [new Dictionary<string, string[]> { ["ключ \"q\""] = ["ü", "😀"] }],
        [(1, "é\"", 2.5)],
        [new[] { "a<b", "" }],
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_reads_back_the_same_as_from_the_default_escaping(object value)
    {
        var type = value.GetType();
        var minimal = PayloadJson.Serialize(value);
        var escaped = JsonSerializer.Serialize(value, type, PayloadJson.Options.WithDefaultEncoder());

        Assert.NotEqual(escaped, minimal);
        // Payloads journaled before read as they did, and the new form reads to the same value.
        var fromEscaped = JsonSerializer.Deserialize(escaped, type, PayloadJson.Options);
        var fromMinimal = JsonSerializer.Deserialize(minimal, type, PayloadJson.Options);
        Assert.Equal(escaped, JsonSerializer.Serialize(fromMinimal, type, PayloadJson.Options.WithDefaultEncoder()));
        Assert.Equal(escaped, JsonSerializer.Serialize(fromEscaped, type, PayloadJson.Options.WithDefaultEncoder()));
    }

    [Fact]
    public void Escaped_size_is_computed_as_the_encoder_writes()
    {
        foreach (var text in new[] { "", "plain", "\"é€😀 \\\n\u0001", "a\ud800b", new string('"', 1000) })
        {
            var written = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(text, PayloadJson.Options));
            Assert.Equal(written, WeightedChunks.JsonStringBytes(text));
        }
    }

    private static string Repeat(string unit, int times) => new StringBuilder(unit.Length * times).Insert(0, unit, times).ToString();
}

internal static class DefaultEncoderOptions
{
    /// <summary>The same options with System.Text.Json's default encoder: the form payloads had before.</summary>
    public static JsonSerializerOptions WithDefaultEncoder(this JsonSerializerOptions options) =>
        new(options) { Encoder = null };
}
