using System.Globalization;

namespace Fanout.Cli.Output;

/// <summary>Small formatting helpers shared by the verbs: times, durations, counts by status.</summary>
internal static class Format
{
    /// <summary>UTC, to the second, ISO-8601: sortable and the same on every machine.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    /// <summary>"850 ms", "4.2 s", "3 min 05 s", "2 h 07 min".</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{span.TotalMilliseconds:0} ms",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s"),
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min {span.Seconds:00} s",
        _ => $"{(int)span.TotalHours} h {span.Minutes:00} min",
    };

    /// <summary>"succeeded 40, running 2", in the statuses' life order, zeros left out; "none" when empty.</summary>
    public static string Counts(IReadOnlyDictionary<string, int>? counts)
    {
        if (counts is null) return "none";
        var known = Model.RunStatuses.ActionStatuses;
        var parts = counts.Where(c => c.Value > 0)
            .OrderBy(c => Array.IndexOf(known, c.Key) is var i and >= 0 ? i : known.Length)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key} {c.Value}")
            .ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>"System.InvalidOperationException: boom", or "-".</summary>
    public static string Error(Model.ErrorDto? error) => error is null ? "-" : $"{error.Type}: {OneLine(error.Message)}";

    /// <summary>A message on one line, so a row stays a row.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>"1,234.5"-free decimals: invariant culture, one digit.</summary>
    public static string Rate(double perSecond) => string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.0}/s");
}
