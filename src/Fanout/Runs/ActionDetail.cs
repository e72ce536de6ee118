namespace Fanout;

/// <summary>
/// One action in full, as the run page's action view shows it: its record, its attempts, and the start of its
/// input and result (previews cut at <see cref="PreviewChars"/> characters, so a large payload is never sent whole).
/// </summary>
/// <param name="Action">The action's record, as a page of <see cref="ActionPage"/> lists it.</param>
/// <param name="Attempts">Its attempts, first to last.</param>
/// <param name="InputPreview">Its input as JSON, cut to <see cref="PreviewChars"/> characters.</param>
/// <param name="InputChars">The input's whole length in characters.</param>
/// <param name="ResultPreview">Its result as JSON, cut to <see cref="PreviewChars"/> characters; null until it succeeded.</param>
/// <param name="ResultChars">The result's whole length in characters (0 without a result).</param>
public sealed record ActionDetail(
    ActionInfo Action,
    IReadOnlyList<AttemptInfo> Attempts,
    string InputPreview,
    int InputChars,
    string? ResultPreview,
    int ResultChars)
{
    /// <summary>The most characters of an input or result a detail carries.</summary>
    public const int PreviewChars = 4096;

    /// <summary>The start of <paramref name="json"/>, at most <see cref="PreviewChars"/> characters (never half a character).</summary>
    internal static string? Preview(string? json)
    {
        if (json is null || json.Length <= PreviewChars) return json;
        var keep = char.IsHighSurrogate(json[PreviewChars - 1]) ? PreviewChars - 1 : PreviewChars;
        return json[..keep];
    }
}
