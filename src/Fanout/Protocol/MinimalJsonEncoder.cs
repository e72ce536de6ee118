using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Fanout.Protocol;

/// <summary>
/// A JSON string encoder that escapes only what RFC 8259 requires: the quotation mark, the reverse
/// solidus and control characters below U+0020. Everything else, non-ASCII text and emoji included,
/// is written as plain UTF-8. Invalid UTF-16 (a lone surrogate) is written as U+FFFD, as System.Text.Json's
/// own encoders do, so a payload's value is the same whichever encoder wrote it.
/// </summary>
/// <remarks>
/// System.Text.Json's default encoder writes every non-ASCII character, quote, '&lt;', '&gt;', '&amp;' and '+' as
/// a six-byte <c>\uXXXX</c> escape, and even <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> escapes
/// characters outside the Basic Multilingual Plane (an emoji becomes twelve bytes). Fanout measures its payload
/// limit on the JSON it stores and sends, so that JSON must be as large as the value and no larger.
/// <para>
/// Why leaving '&lt;', '&gt;' and '&amp;' unescaped is safe here: payload JSON is data, never markup. Fanout writes
/// it only into its journal, its snapshots and its own messages between nodes, and hands it to .NET code that
/// deserializes it; no Fanout endpoint returns it (the HTTP API shows neither inputs nor results). The
/// default encoder's escaping protects only a page that pastes raw JSON into a &lt;script&gt; block; a page that
/// ever shows a payload must encode it for where it puts it (HTML-encode text, or serialize the value anew
/// with the default encoder for a script block), as it must with any data that came from users, and the
/// value a reader gets back is the same characters either way.
/// </para>
/// </remarks>
internal sealed unsafe class MinimalJsonEncoder : JavaScriptEncoder
{
    public static readonly MinimalJsonEncoder Instance = new();

    // What a scan must stop at: characters to escape, and surrogates (to check they come in pairs).
    private static readonly SearchValues<char> CharsToLookAt = SearchValues.Create(CharsNeedingALook());

    // In UTF-8: bytes to escape, and any non-ASCII byte (to check the sequence is valid).
    private static readonly SearchValues<byte> BytesToLookAt = SearchValues.Create(BytesNeedingALook());

    private MinimalJsonEncoder()
    {
    }

    /// <summary>The longest escape is <c>\u001F</c>, six characters for one.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var i = 0;
        while (i < span.Length)
        {
            var next = span[i..].IndexOfAny(CharsToLookAt);
            if (next < 0) return -1;
            i += next;
            if (!char.IsSurrogate(span[i])) return i;
            // A surrogate pair is an ordinary character (an emoji, say); a lone surrogate is invalid and replaced.
            if (!char.IsHighSurrogate(span[i]) || i + 1 >= span.Length || !char.IsLowSurrogate(span[i + 1])) return i;
            i += 2;
        }
        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var i = 0;
        while (i < utf8Text.Length)
        {
            var next = utf8Text[i..].IndexOfAny(BytesToLookAt);
            if (next < 0) return -1;
            i += next;
            if (utf8Text[i] < 0x80) return i;
            if (Rune.DecodeFromUtf8(utf8Text[i..], out _, out var length) != OperationStatus.Done) return i;
            i += length;
        }
        return -1;
    }

    public override bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        numberOfCharactersWritten = 0;
        if (!WillEncode(unicodeScalar))
        {
            if (!Rune.IsValid(unicodeScalar)) return false;
            return new Rune(unicodeScalar).TryEncodeToUtf16(destination, out numberOfCharactersWritten);
        }

        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => $"\\u{unicodeScalar:X4}",
        };
        if (!escape.TryCopyTo(destination)) return false;
        numberOfCharactersWritten = escape.Length;
        return true;
    }

    private static char[] CharsNeedingALook()
    {
        var chars = new List<char> { '"', '\\' };
        for (var c = 0; c < 0x20; c++) chars.Add((char)c);
        for (var c = 0xD800; c <= 0xDFFF; c++) chars.Add((char)c);
        return chars.ToArray();
    }

    private static byte[] BytesNeedingALook()
    {
        var bytes = new List<byte> { (byte)'"', (byte)'\\' };
        for (var b = 0; b < 0x20; b++) bytes.Add((byte)b);
        for (var b = 0x80; b <= 0xFF; b++) bytes.Add((byte)b);
        return bytes.ToArray();
    }
}
