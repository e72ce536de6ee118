namespace Fanout.Tests.Fuzz;

/// <summary>
/// One request of the HTTP fuzzer, as the bytes that go on the wire. <see cref="BrokenTransport"/> marks a request
/// the client itself breaks off (a body shorter than its Content-Length, garbage where the request line goes): the
/// server may answer it or close the connection, but must do so within the deadline and never with a 5xx.
/// </summary>
/// <see cref="UnsupportedVersion"/> marks a request line with an HTTP version other than 1.0 or 1.1, which Kestrel
/// rightly answers with 505 (HTTP Version Not Supported): the one 5xx that is the client's fault.
internal sealed record FuzzRequest(int Index, string Description, byte[] Bytes, bool BrokenTransport, bool UnsupportedVersion = false)
{
    /// <summary>The start of the request, printable, for a failure's message.</summary>
    public string Shown(int max = 400)
    {
        var text = System.Text.Encoding.Latin1.GetString(Bytes, 0, Math.Min(Bytes.Length, max))
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return Bytes.Length > max ? $"{text}... ({Bytes.Length:N0} bytes)" : text;
    }
}
