using System.CommandLine;

namespace Fanout.Cli.Commands;

/// <summary>
/// <c>fanout ui</c>: serves the run pages read-only from a journal with no runtime running (<see cref="UiServer"/>), so a
/// run can be looked at after the program that ran it has exited.
/// </summary>
internal static class UiCommand
{
    /// <summary>The port the pages are served on unless <c>--port</c> says otherwise.</summary>
    public const int DefaultPort = 8080;

    public static Command Build(GlobalOptions options)
    {
        var db = new Option<string?>("--db")
        {
            Description = "The journal's SQLite file, or a folder holding one (default: fanout-data/fanout.db, the embedded runtime's)",
            HelpName = "file-or-folder",
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "Read a PostgreSQL journal instead, with this connection string (Host=...;Database=...;Username=...)",
            HelpName = "connection-string",
        };
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on (beyond loopback, --token is required)",
            HelpName = "address",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port")
        {
            Description = "The port to listen on (0: any free port)",
            HelpName = "port",
            DefaultValueFactory = _ => DefaultPort,
        };
        var ui = new Command("ui",
            "Serve the run pages read-only from a journal, with no runtime running, until Ctrl+C (--token: the token a visitor must give)")
        {
            db, postgres, host, port,
        };
        ui.SetAction((parsed, ct) => UiServer.RunAsync(new UiServer.Settings(parsed.GetValue(db), parsed.GetValue(postgres),
            parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(options.Token)), options.Context, ct));
        return ui;
    }
}
