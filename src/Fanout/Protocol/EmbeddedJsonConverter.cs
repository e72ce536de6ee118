using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Protocol;

/// <summary>
/// Writes a string property that holds JSON (a payload: <c>InputJson</c>, <c>ResultJson</c>) into a message as
/// JSON, not as a string: <c>"InputJson":[{"a":"é"}]</c> instead of <c>"InputJson":"{\"a\":\"é\"}"</c>. As a
/// string every quote of the payload would be escaped again (and with the default encoder every quote and
/// non-ASCII character becomes a six-byte escape), so a message could be up to six times its payload; this
/// way it is the payload's size plus two bytes.
/// </summary>
/// <remarks>
/// The payload goes inside a one-element array so that the two forms cannot be confused: a payload that is
/// itself a JSON string (<c>"x"</c>) would otherwise read back like the old string form. Messages and
/// journal events written before this form carried the payload as a string, and still read.
/// </remarks>
internal sealed class EmbeddedJsonConverter : JsonConverter<string>
{
    public static readonly EmbeddedJsonConverter Instance = new();

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: // the form written before payloads were embedded
                return reader.GetString();
            case JsonTokenType.StartArray:
                reader.Read();
                var json = RawValue(ref reader);
                reader.Read();
                if (reader.TokenType != JsonTokenType.EndArray)
                    throw new JsonException($"an embedded payload holds one JSON value; found {reader.TokenType} after it");
                return json;
            default:
                throw new JsonException($"an embedded payload is a JSON string or a one-element array; found {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        // Validated as it is written: a payload that is not one JSON value would make the whole message unreadable.
        writer.WriteRawValue(value, skipInputValidation: false);
        writer.WriteEndArray();
    }

    /// <summary>The exact text of the value the reader is on (its escapes kept), which is what was written.</summary>
    private static string RawValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.GetRawText();
        }
        if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.None)
            throw new JsonException("an embedded payload's array is empty");

        // A single token: its raw bytes, plus the quotes a string's value span leaves out.
        var raw = reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence) : Encoding.UTF8.GetString(reader.ValueSpan);
        return reader.TokenType == JsonTokenType.String ? $"\"{raw}\"" : raw;
    }
}
