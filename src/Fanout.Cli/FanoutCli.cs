using System.CommandLine;
using System.CommandLine.Help;
using Fanout.Cli.Commands;

namespace Fanout.Cli;

/// <summary>
/// The whole tool as one call: arguments in, text out, an exit code back. <c>Program</c> calls it with the
/// process's console; tests call it with string writers, in process.
/// </summary>
internal static class FanoutCli
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken ct = default)
    {
        var root = BuildRoot(context);
        // No response files: "--input @file" is the tool's own syntax and must reach the verb as typed.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            // System.CommandLine would print every error and the help and exit 1; a usage error is 2 and one line.
            context.Fail($"{UsageProblem(parsed)} (see '{VerbPath(parsed.CommandResult.Command)} --help')");
            return CliExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = context.Output,
                Error = context.Error,
                // Program owns Ctrl-C (it cancels ct), so a test's invocation never touches the process's signals.
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A bug of the tool's, not the node's: still one line, with what a report needs.
            context.Fail($"unexpected error, please report it: {e.GetType().FullName}: {e.Message}");
            return CliExitCodes.Failed;
        }
    }

    /// <summary>The most telling error on one line: "unrecognized 'x'" says more than "required command was not provided".</summary>
    private static string UsageProblem(ParseResult parsed)
    {
        var error = parsed.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? parsed.Errors[0];
        return string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static string VerbPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(' ', names);
    }

    internal static Command BuildRoot(CliContext context)
    {
        var options = new GlobalOptions(context);
        // A plain command rather than RootCommand, whose name is the executable's ("Fanout.Cli", "testhost"): help always says "fanout".
        var root = new Command("fanout", "fanout: look at and operate a Fanout cluster and its runs through any node's HTTP API.");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(options.Node);
        root.Options.Add(options.Json);
        root.Options.Add(options.Token);
        root.Options.Add(options.CaCert);
        root.Subcommands.Add(TasksCommands.Build(options));
        root.Subcommands.Add(RunCommands.Build(options));
        root.Subcommands.Add(RunsCommands.Build(options));
        root.Subcommands.Add(ClusterCommands.Build(options));
        root.Subcommands.Add(ShardingCommands.Build(options));
        root.Subcommands.Add(ActorCommands.Build(options));
        root.Subcommands.Add(ExecutorCommands.Build(options));
        root.Subcommands.Add(UiCommand.Build(options));
        return root;
    }
}
