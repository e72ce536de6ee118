using Spectre.Console;

namespace Fanout.Cli;

/// <summary>
/// Where one invocation writes and what it may assume about its terminal. Program passes the process's
/// console; tests pass string writers (never a terminal, so the plain-text path is what they see).
/// </summary>
internal sealed class CliContext
{
    private IAnsiConsole? _ansi;

    public CliContext(TextWriter output, TextWriter error, bool interactive, Func<string, string?>? environment = null)
    {
        Output = output;
        Error = error;
        Interactive = interactive;
        Environment = environment ?? System.Environment.GetEnvironmentVariable;
    }

    /// <summary>Results: tables, summaries, <c>--json</c>.</summary>
    public TextWriter Output { get; }

    /// <summary>Errors, one line each.</summary>
    public TextWriter Error { get; }

    /// <summary>True when stdout is a terminal: tables, colours and live progress instead of plain text.</summary>
    public bool Interactive { get; }

    /// <summary>Reads an environment variable (<c>FANOUT_NODE</c>); tests give their own.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>How often <c>runs watch</c> and <c>run --wait</c> ask about the run.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the terminal takes ANSI codes (colours, redrawing in place): detected, unless a test says.</summary>
    public AnsiSupport AnsiSupport { get; init; } = AnsiSupport.Detect;

    /// <summary>True when a live display can redraw in place: a terminal that takes ANSI codes.</summary>
    public bool CanRedraw => Interactive && Ansi.Profile.Capabilities.Ansi;

    /// <summary>Spectre.Console on <see cref="Output"/>; only for the interactive path.</summary>
    public IAnsiConsole Ansi => _ansi ??= CreateAnsi();

    private IAnsiConsole CreateAnsi()
    {
        var console = AnsiConsole.Create(Settings());
        // Where no real console gives a size (a writer that is not one), Spectre sees 0 rows, and its live
        // display fails when it crops to that: assume a common terminal's size instead.
        if (console.Profile.Height < 5) console.Profile.Height = 24;
        if (console.Profile.Width < 40) console.Profile.Width = 80;
        return console;
    }

    private AnsiConsoleSettings Settings() => new()
    {
        Out = new AnsiConsoleOutput(Output),
        Ansi = AnsiSupport,
        ColorSystem = ColorSystemSupport.Detect,
        // Our caller knows whether stdout is a terminal; Spectre's own guess would fall back to drawing bars only at
        // milestones, and nothing once one group is done.
        Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
    };

    /// <summary>Writes one error line, prefixed with the tool's name.</summary>
    public void Fail(string message) => Error.WriteLine($"fanout: {message}");
}
