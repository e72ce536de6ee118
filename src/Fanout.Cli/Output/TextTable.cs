using Spectre.Console;

namespace Fanout.Cli.Output;

/// <summary>
/// Rows under headers: a Spectre.Console table on a terminal, else columns padded with two spaces
/// (stable text for scripts and tests; the last column is never padded, so long messages stay whole).
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public TextTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"a row needs {headers.Length} cells, not {cells.Length}");
        _rows.Add(cells);
        return this;
    }

    public void Write(CliContext context)
    {
        if (context.Interactive)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in headers) table.AddColumn(new TableColumn(Markup.Escape(header)));
            foreach (var row in _rows) table.AddRow(row.Select(cell => new Markup(Markup.Escape(cell))).ToArray<Spectre.Console.Rendering.IRenderable>());
            context.Ansi.Write(table);
            return;
        }
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        WriteLine(context.Output, headers, widths);
        foreach (var row in _rows) WriteLine(context.Output, row, widths);
    }

    private static void WriteLine(TextWriter output, string[] cells, int[] widths)
    {
        var line = string.Join("  ", cells.Select((cell, i) => i == cells.Length - 1 ? cell : cell.PadRight(widths[i])));
        output.WriteLine(line.TrimEnd());
    }
}
