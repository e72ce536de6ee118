using System.CommandLine;
using System.Text.Json;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout actor hierarchy -d &lt;depth&gt;</c>: the node's actor tree, one path per line as pbm prints it.</summary>
internal static class ActorCommands
{
    public static Command Build(GlobalOptions options)
    {
        var actor = new Command("actor", "The node's actors");
        var depth = new Option<int>("--depth", "-d") { Description = "How deep to go below /user and /system (1 to 10)", DefaultValueFactory = _ => 3 };
        depth.Within(1, 10);
        var hierarchy = new Command("hierarchy", "The node's actor hierarchy to a depth, one actor path per line") { depth };
        options.OnGet<JsonElement>(hierarchy, parsed => $"actors?depth={parsed.GetValue(depth)}", (_, tree) =>
        {
            var paths = new List<string>();
            // The contract names a root (or roots) holding {path, children}; walk whatever tree shape comes.
            foreach (var property in tree.EnumerateObject().Where(p => p.Name != "address"))
                Collect(property.Value, paths);
            foreach (var path in paths) options.Context.Output.WriteLine(path);
            return CliExitCodes.Ok;
        });
        actor.Subcommands.Add(hierarchy);
        return actor;
    }

    // Depth first, parents before children; the root guardian "/" itself is left out, as pbm does. The node says
    // how many children it left out (past its per-actor limit, or below the depth asked for).
    private static void Collect(JsonElement element, List<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, paths);
                break;
            case JsonValueKind.Object:
                var path = element.TryGetProperty("path", out var p) ? p.GetString() : null;
                if (path is not null && path != "/") paths.Add(path);
                if (element.TryGetProperty("children", out var children)) Collect(children, paths);
                if (path is not null && element.TryGetProperty("more", out var more) && more.TryGetInt32(out var left) && left > 0)
                    paths.Add($"{path.TrimEnd('/')}/... ({left} more)");
                break;
        }
    }
}
