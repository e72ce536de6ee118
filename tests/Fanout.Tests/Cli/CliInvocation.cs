using System.Text;
using Fanout.Cli;

namespace Fanout.Tests.Cli;

/// <summary>What one in-process invocation of the tool printed, and its exit code.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>
/// Runs the <c>fanout</c> tool in process, as Program does but with string writers (so never a terminal: the
/// plain-text path) and an environment of the spec's own (no FANOUT_NODE from the machine).
/// </summary>
public static class CliInvocation
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static Task<CliResult> RunAsync(Uri node, params string[] args) => RunAsync(["--node", node.ToString(), .. args], new Dictionary<string, string>());

    public static async Task<CliResult> RunAsync(string[] args, IReadOnlyDictionary<string, string> environment,
        LiveWriter? output = null, CancellationToken ct = default, bool interactive = false)
    {
        output ??= new LiveWriter();
        var error = new LiveWriter();
        var context = new CliContext(output, error, interactive, name => environment.GetValueOrDefault(name))
        {
            PollInterval = PollInterval,
            // "A terminal" in a spec is one that takes ANSI codes, whatever TERM the test run has.
            AnsiSupport = interactive ? Spectre.Console.AnsiSupport.Yes : Spectre.Console.AnsiSupport.No,
        };
        var exit = await FanoutCli.RunAsync(args, context, ct);
        return new CliResult(exit, output.Text, error.Text);
    }
}

/// <summary>A writer the spec can read while the tool is still writing to it (a watch, a tail).</summary>
public sealed class LiveWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get { lock (_text) return _text.ToString(); }
    }

    /// <summary>Waits until the tool has printed <paramref name="expected"/>; the timeout names it and shows what was printed.</summary>
    public async Task WaitForAsync(string expected, TimeSpan within, string what)
    {
        try
        {
            await Fanout.Tests.Support.Eventually.True(() => Text.Contains(expected, StringComparison.Ordinal), within, $"{what}: '{expected}'");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; printed so far:\n{Text}", e);
        }
    }

    public override void Write(char value)
    {
        lock (_text) _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_text) _text.Append(value);
    }
}
