using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fanout.Cli;

/// <summary>The JSON settings the CLI reads answers with and prints <c>--json</c> in.</summary>
internal static class CliJson
{
    /// <summary>camelCase, as the node writes it.</summary>
    public static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    private static readonly JsonWriterOptions Pretty = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The node's JSON, indented, exactly as it answered otherwise.</summary>
    public static string Indent(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Pretty))
            element.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
