namespace Fanout.Protocol;

/// <summary>
/// An exception flattened to what survives a journal and a network hop. Each text is cut to a bound
/// (<see cref="MaxTypeChars"/>, <see cref="MaxMessageChars"/>, <see cref="MaxStackTraceChars"/>) with a
/// visible marker saying how much was cut, whichever way the error is made or read back: an exception whose
/// message embeds a megabyte of data must not make the report of its failure too large to travel.
/// </summary>
internal sealed record ErrorInfo(string Type, string Message, string? StackTrace)
{
    public const int MaxTypeChars = 1024;
    public const int MaxMessageChars = 16 * 1024;
    public const int MaxStackTraceChars = 64 * 1024;

    /// <summary>
    /// The most bytes an error adds to a message: every character of each text at its bound, each written
    /// as a six-byte <c>\u00XX</c> escape (the worst case: control characters).
    /// </summary>
    public const int MaxWireBytes = 6 * (MaxTypeChars + MaxMessageChars + MaxStackTraceChars);

    public string Type { get; } = Truncate(Type, MaxTypeChars)!;
    public string Message { get; } = Truncate(Message, MaxMessageChars)!;
    public string? StackTrace { get; } = Truncate(StackTrace, MaxStackTraceChars);

    public static ErrorInfo From(Exception exception) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace);

    public ActionError ToPublic() => new(Type, Message, StackTrace);

    /// <summary>The text itself when within <paramref name="maxChars"/>; else its start and a marker, within the bound.</summary>
    internal static string? Truncate(string? text, int maxChars)
    {
        if (text is null || text.Length <= maxChars) return text;
        var marker = $" [... truncated by Fanout from {text.Length:N0} characters]";
        var keep = maxChars - marker.Length;
        if (char.IsHighSurrogate(text[keep - 1])) keep--; // never split a character in two
        return string.Concat(text.AsSpan(0, keep), marker);
    }
}
