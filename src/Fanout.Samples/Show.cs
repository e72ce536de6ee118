using System.Numerics;

namespace Fanout.Samples;

/// <summary>How the samples print: a label column, then short values (big results as count, first few and a checksum).</summary>
internal static class Show
{
    private const int FullListUpTo = 10;
    private const int Head = 5;

    public static void Line(string label, string text) => Console.WriteLine($"  {label,-10} {text}");

    /// <summary>Every run URL printed, for <c>--serve</c> to list again once the samples are done.</summary>
    public static List<Uri> RunUrls { get; } = [];

    public static void Url<T>(RunHandle<T> run)
    {
        Line("run", run.Url?.ToString() ?? run.Id);
        if (run.Url is null) return;
        RunUrls.Add(run.Url);
        Line("", "(open it in a browser: the run's page, with its actions, groups and failures, live)");
    }

    public static void Result<T>(IReadOnlyList<T> values, string label = "result") where T : INumber<T>
    {
        var sum = values.Aggregate(T.Zero, (total, v) => total + v);
        Line(label, values.Count <= FullListUpTo
            ? $"[{string.Join(", ", values)}]"
            : $"{values.Count:N0} values [{string.Join(", ", values.Take(Head))}, ...] sum {sum:N0}");
    }

    public static void Result(IReadOnlyList<string> values, string label = "result") =>
        Line(label, values.Count <= FullListUpTo
            ? $"[{string.Join(", ", values)}]"
            : $"{values.Count:N0} values [{string.Join(", ", values.Take(Head))}, ...] checksum {Checksum(values):x8}");

    public static void Lines(IEnumerable<string> values)
    {
        var label = "result";
        foreach (var value in values)
        {
            Line(label, value);
            label = "";
        }
    }

    // FNV-1a over the values, so two runs can be compared at a glance.
    private static uint Checksum(IEnumerable<string> values)
    {
        var hash = 2166136261u;
        foreach (var c in string.Join('\n', values))
            hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
