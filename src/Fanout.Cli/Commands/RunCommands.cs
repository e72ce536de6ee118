using System.CommandLine;
using System.Text.Json;
using Fanout.Cli.Model;
using Fanout.Cli.Watching;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout run &lt;task&gt; --input &lt;json&gt;|@file [--id ID] [--wait]</c>: starts a run (<c>POST /runs</c>).</summary>
internal static class RunCommands
{
    public static Command Build(GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "The task's full name, environment.task (see 'fanout tasks')" };
        var input = new Option<string?>("--input", "-i")
        {
            Description = "The run's input: JSON, or @path to read it from a file (default: none, JSON null)",
            HelpName = "json|@file",
        };
        var id = new Option<string?>("--id")
        {
            Description = "Name the run (letters, digits, '_', '-'; at most 64): starting the same id again returns that run",
        };
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the run until it ends, like 'fanout runs watch'; the exit code is its outcome" };

        var run = new Command("run", "Start a run of a task") { task, input, id, wait };
        run.SetAction((parsed, ct) => options.RunAsync(parsed, async (node, json) =>
        {
            var body = new Dictionary<string, object?> { ["task"] = parsed.GetValue(task) };
            if (parsed.GetValue(input) is { } given) body["input"] = ReadInput(given);
            if (parsed.GetValue(id) is { } runId) body["id"] = runId;

            using var answer = await node.PostAsync("runs", body, ct);
            var started = answer.RootElement.Deserialize<StartedRunDto>(CliJson.Compact)!;
            if (!parsed.GetValue(wait))
            {
                if (json) options.PrintJson(answer);
                else options.Context.Output.WriteLine($"started run {started.RunId}: {started.Url ?? new Uri(node.Node, $"runs/{started.RunId}").ToString()}");
                return CliExitCodes.Ok;
            }
            // With --json and --wait, the one JSON document printed is the run's final summary.
            if (!json) options.Context.Output.WriteLine($"started run {started.RunId}");
            return await new RunWatcher(node, options.Context).WatchAsync(started.RunId, json, ct);
        }));
        return run;
    }

    /// <summary>The input as a JSON value, from the argument or the file it names, checked here so a typo is a usage error.</summary>
    internal static JsonElement ReadInput(string given)
    {
        string text, source;
        if (given.StartsWith('@'))
        {
            var path = given[1..];
            source = $"--input file '{path}'";
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new UsageException($"cannot read {source}: {e.Message}");
            }
        }
        else
        {
            text = given;
            source = "--input";
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"{source} is not JSON ({e.Message}); a string needs quotes: --input '\"text\"'");
        }
    }
}
