using System.Text.Json;

namespace Fanout.Runtime;

/// <summary>
/// The one JSON form of task inputs and outputs. Fields are included so value tuples round-trip. Strings
/// are escaped only as JSON requires (<see cref="Protocol.MinimalJsonEncoder"/>, which says why that is safe):
/// the payload limit is measured on this JSON, so accented text, quotes and emoji count as the bytes they
/// are, not as six-byte escapes. Reading is the same for any escaping, so payloads written before still read.
/// </summary>
internal static class PayloadJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,
            Encoder = Protocol.MinimalJsonEncoder.Instance,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
