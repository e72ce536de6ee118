using System.CommandLine;
using System.Text.Json;
using Fanout.Cli.Http;

namespace Fanout.Cli.Commands;

/// <summary>The options every verb takes (<c>--node</c>, <c>--json</c>, <c>--token</c>, <c>--ca-cert</c>), and the way each verb's action reaches the node.</summary>
internal sealed class GlobalOptions(CliContext context)
{
    public Option<string?> Node { get; } = new("--node")
    {
        Description = $"The node's HTTP API (default: ${NodeAddress.EnvironmentVariable}, else {NodeAddress.LocalDefault})",
        HelpName = "url",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the node's JSON answer (indented) instead of text",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"The node's API token, sent as 'Authorization: Bearer' (default: ${NodeCredentials.TokenVariable})",
        HelpName = "token",
        Recursive = true,
    };

    public Option<string?> CaCert { get; } = new("--ca-cert")
    {
        Description = $"A PEM file of the CA that signed an https node's certificate, when the system does not trust it (default: ${NodeCredentials.CaCertVariable})",
        HelpName = "file",
        Recursive = true,
    };

    public CliContext Context { get; } = context;

    /// <summary>
    /// Runs a verb's body against the node the command line names, turning the ways it can fail into
    /// one line on stderr and an exit code.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parsed, Func<NodeClient, bool, Task<int>> body)
    {
        if (!NodeAddress.TryResolve(parsed.GetValue(Node), Context.Environment, out var node, out var problem))
        {
            Context.Fail(problem!);
            return CliExitCodes.Usage;
        }
        NodeCredentials credentials;
        try
        {
            credentials = NodeCredentials.Resolve(parsed.GetValue(Token), parsed.GetValue(CaCert), Context.Environment);
        }
        catch (UsageException e)
        {
            Context.Fail(e.Message);
            return CliExitCodes.Usage;
        }
        using var client = new NodeClient(node!, credentials);
        try
        {
            return await body(client, parsed.GetValue(Json)).ConfigureAwait(false);
        }
        catch (NodeException e)
        {
            Context.Fail(e.Message);
            return e.StatusCode is 401 or 403 ? CliExitCodes.Denied : CliExitCodes.Failed;
        }
        catch (UsageException e)
        {
            Context.Fail(e.Message);
            return CliExitCodes.Usage;
        }
    }

    /// <summary>Prints an answer as <c>--json</c> asks.</summary>
    public void PrintJson(JsonDocument answer) => Context.Output.WriteLine(CliJson.Indent(answer.RootElement));

    /// <summary>
    /// Makes <paramref name="command"/> GET <paramref name="path"/> and print the answer: as JSON with <c>--json</c>,
    /// else through <paramref name="print"/>, which returns the exit code.
    /// </summary>
    public void OnGet<T>(Command command, Func<ParseResult, string> path, Func<ParseResult, T, int> print) =>
        command.SetAction((parsed, ct) => RunAsync(parsed, async (node, json) =>
        {
            using var answer = await node.GetAsync(path(parsed), ct).ConfigureAwait(false);
            return Print(parsed, answer, json, print);
        }));

    /// <summary>The same for a POST with <paramref name="body"/> (null: an empty object).</summary>
    public void OnPost<T>(Command command, Func<ParseResult, string> path, Func<ParseResult, object?> body, Func<ParseResult, T, int> print) =>
        command.SetAction((parsed, ct) => RunAsync(parsed, async (node, json) =>
        {
            using var answer = await node.PostAsync(path(parsed), body(parsed), ct).ConfigureAwait(false);
            return Print(parsed, answer, json, print);
        }));

    private int Print<T>(ParseResult parsed, JsonDocument answer, bool json, Func<ParseResult, T, int> print)
    {
        if (json)
        {
            PrintJson(answer);
            return CliExitCodes.Ok;
        }
        T view;
        try
        {
            view = answer.RootElement.Deserialize<T>(CliJson.Compact)!;
        }
        catch (JsonException e)
        {
            throw new NodeException($"the node's answer does not have the expected shape ({e.Message}); is it a Fanout node of this version?", inner: e);
        }
        return print(parsed, view);
    }
}
