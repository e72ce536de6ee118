using System.CommandLine;

namespace Fanout.Cli.Commands;

/// <summary><c>fanout tasks</c>: the tasks the node knows (<c>GET /tasks</c>).</summary>
internal static class TasksCommands
{
    public static Command Build(GlobalOptions options)
    {
        var tasks = new Command("tasks", "List the full names of the tasks the node can run");
        options.OnGet<List<string>>(tasks, _ => "tasks", (_, names) =>
        {
            foreach (var name in names) options.Context.Output.WriteLine(name);
            return CliExitCodes.Ok;
        });
        return tasks;
    }
}
