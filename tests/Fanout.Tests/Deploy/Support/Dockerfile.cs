namespace Fanout.Tests.Deploy.Support;

/// <summary>A Dockerfile read as text: its stages, each with its FROM and its instructions (continuations joined, comments dropped).</summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<string> global, IReadOnlyList<DockerStage> stages)
    {
        GlobalInstructions = global;
        Stages = stages;
    }

    /// <summary>The instructions before the first FROM (ARGs).</summary>
    public IReadOnlyList<string> GlobalInstructions { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public static Dockerfile Read(string relativePath)
    {
        var instructions = new List<string>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(DeployTools.Root, relativePath)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0 && pending.Length == 0) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }
            instructions.Add((pending + line).Trim());
            pending = "";
        }
        var global = new List<string>();
        var stages = new List<DockerStage>();
        foreach (var instruction in instructions.Where(i => i.Length > 0))
        {
            if (instruction.StartsWith("FROM ", StringComparison.Ordinal))
            {
                var words = instruction["FROM ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var alias = words.Length >= 3 && words[^2].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[^1] : null;
                stages.Add(new DockerStage(words[0], alias, []));
            }
            else if (stages.Count == 0)
            {
                Assert.True(instruction.StartsWith("ARG ", StringComparison.Ordinal), $"{relativePath}: '{instruction}' before the first FROM");
                global.Add(instruction);
            }
            else
            {
                stages[^1].Lines.Add(instruction);
            }
        }
        return new Dockerfile(global, stages);
    }

    public DockerStage Stage(string alias) =>
        Stages.SingleOrDefault(s => s.Alias == alias) ?? throw new Xunit.Sdk.XunitException($"no stage named {alias}");

    /// <summary>The default of a global ARG (ARG NAME=default before the first FROM).</summary>
    public string ArgDefault(string name)
    {
        var arg = GlobalInstructions.SingleOrDefault(i => i.StartsWith($"ARG {name}=", StringComparison.Ordinal))
                  ?? throw new Xunit.Sdk.XunitException($"no global ARG {name}=<default>");
        return arg[$"ARG {name}=".Length..].Trim();
    }
}

/// <summary>One stage: its base image (or stage), its alias, its instructions.</summary>
internal sealed record DockerStage(string From, string? Alias, List<string> Lines)
{
    public IEnumerable<string> Instructions(string keyword) => Lines.Where(l => l.StartsWith(keyword + " ", StringComparison.Ordinal));

    /// <summary>ENV NAME=value pairs (values without spaces, as these files write them).</summary>
    public Dictionary<string, string> Env() =>
        Instructions("ENV").SelectMany(l => l["ENV ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    /// <summary>The value after <paramref name="name"/> in a command line (dotnet publish's -o ...).</summary>
    public static string Option(string command, string name)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, name);
        Assert.True(at >= 0 && at + 1 < words.Length, $"'{command}' has no {name}");
        return words[at + 1];
    }
}
