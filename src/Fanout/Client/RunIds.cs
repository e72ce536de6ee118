using System.Security.Cryptography;

namespace Fanout;

/// <summary>
/// Run ids: new random ones, and the rule a caller-chosen one must follow. A run id becomes part of every
/// action id (<c>runId/group/task#n</c>), of the run's persistence id and of its URL, so it may hold
/// neither the separators of action ids nor anything a URL path would need to escape.
/// </summary>
internal static class RunIds
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        Span<char> id = stackalloc char[11];
        id[0] = 'r';
        for (var i = 0; i < bytes.Length; i++) id[i + 1] = Alphabet[bytes[i] % Alphabet.Length];
        return new string(id);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule <paramref name="runId"/> breaks.</summary>
    public static void Validate(string runId, string parameterName)
    {
        if (Problem(runId) is { } problem) throw new ArgumentException(problem, parameterName);
    }

    /// <summary>The rule <paramref name="runId"/> breaks, or null when it is a valid run id.</summary>
    public static string? Problem(string runId)
    {
        if (runId.Length == 0)
            return "a run id must not be empty (leave it out for a new random one)";
        if (runId.Length > RunOptions.MaxRunIdLength)
            return $"run id '{runId[..20]}...' is {runId.Length} characters long; at most {RunOptions.MaxRunIdLength} are allowed";
        foreach (var c in runId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return $"run id '{runId}' is not valid: use ASCII letters, digits, '_' and '-' (found {Describe(c)})";
        }
        return null;
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
