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

    /// <summary>Spectre.Console on <see cref="Output"/>; only for the interactive path.</summary>
    public IAnsiConsole Ansi => _ansi ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Output),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Detect,
    });

    /// <summary>Writes one error line, prefixed with the tool's name.</summary>
    public void Fail(string message) => Error.WriteLine($"fanout: {message}");
}
