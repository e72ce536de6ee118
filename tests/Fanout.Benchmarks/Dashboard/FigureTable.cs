namespace Fanout.Benchmarks.Dashboard;

/// <summary>The figures as rows (what, which run, milliseconds or a rate, a note), printed as one table at the end.</summary>
internal sealed class FigureTable
{
    private readonly List<(string What, string Run, string Value, string Note)> _rows = [];

    public void Add(string what, string run, double ms, string note = "") => _rows.Add((what, run, $"{ms:F1} ms", note));

    public void AddText(string what, string run, string value, string note = "") => _rows.Add((what, run, value, note));

    public void Print(TextWriter output)
    {
        var whatWidth = Math.Max(4, _rows.Max(r => r.What.Length));
        var runWidth = Math.Max(3, _rows.Max(r => r.Run.Length));
        var valueWidth = Math.Max(5, _rows.Max(r => r.Value.Length));
        output.WriteLine($"{"what".PadRight(whatWidth)}  {"run".PadRight(runWidth)}  {"value".PadLeft(valueWidth)}  note");
        output.WriteLine(new string('-', whatWidth + runWidth + valueWidth + 12));
        foreach (var (what, run, value, note) in _rows)
            output.WriteLine($"{what.PadRight(whatWidth)}  {run.PadRight(runWidth)}  {value.PadLeft(valueWidth)}  {note}");
    }
}
