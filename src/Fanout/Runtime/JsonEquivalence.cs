using System.Text.Json;

namespace Fanout.Runtime;

/// <summary>Whether two JSON texts are the same value, however each was written.</summary>
internal static class JsonEquivalence
{
    /// <summary>
    /// Equal text, or the same value written another way (spacing, property order, escapes, <c>1.0</c> for
    /// <c>1</c>): a start retried by an HTTP client that formats its body differently is the same start.
    /// </summary>
    public static bool Same(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return true;
        try
        {
            using var left = JsonDocument.Parse(a);
            using var right = JsonDocument.Parse(b);
            return JsonElement.DeepEquals(left.RootElement, right.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
