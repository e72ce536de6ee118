using System.Diagnostics;

namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// A PostgreSQL server a spec may stop and start: its own, started by tests/start-postgres.sh (the shared test
/// server must never go down under other specs). <see cref="StopAsync"/> stops it the hard way
/// (<c>pg_ctl stop -m immediate</c>: every connection drops, as when the database host dies);
/// <see cref="StartAsync"/> starts it again on the same data and port. Disposing deletes it.
/// </summary>
public sealed class OwnPostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandWithin = TimeSpan.FromSeconds(60);

    private readonly string _folder;
    private readonly string _bin;
    private readonly int _port;

    private OwnPostgresServer(string serverConnectionString, string folder)
    {
        _folder = folder;
        _bin = File.ReadAllText(Path.Combine(folder, ".fanout-test-postgres")).Trim();
        _port = new Npgsql.NpgsqlConnectionStringBuilder(serverConnectionString).Port;
        // The server is this spec's alone: its default database is the journal.
        ConnectionString = serverConnectionString + ";Database=postgres";
    }

    /// <summary>The journal database's connection string.</summary>
    public string ConnectionString { get; }

    public static async Task<OwnPostgresServer> StartNewAsync()
    {
        // Above Linux's ephemeral ports (32768-60999): while the server is down, an outgoing connection or a listener on
        // port 0 elsewhere in the suite could take an ephemeral port, and the restart failed once so ("could not start server").
        var (exit, output) = await RunAsync("bash", [Path.Combine(RepoPaths.Root, "tests", "start-postgres.sh")],
            new Dictionary<string, string> { ["FANOUT_TEST_POSTGRES_FIRST_PORT"] = "61000" });
        if (exit != 0) throw new InvalidOperationException($"tests/start-postgres.sh failed ({exit}): {output}");
        string Exported(string name) => output.Split('\n').Select(l => l.Trim())
            .First(l => l.StartsWith($"export {name}=", StringComparison.Ordinal))[$"export {name}=".Length..].Trim('\'');
        return new OwnPostgresServer(Exported("FANOUT_TEST_POSTGRES"), Exported("FANOUT_TEST_POSTGRES_DIR"));
    }

    /// <summary>Stops the server at once, dropping every connection without a goodbye.</summary>
    public Task StopAsync() => PgCtlAsync("-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");

    /// <summary>Starts the server again on its data and port, and returns once it accepts connections.</summary>
    public Task StartAsync() => PgCtlAsync("-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "server.log"),
        "-o", $"-p {_port}", "-w", "-t", "30", "start");

    public async ValueTask DisposeAsync()
    {
        await RunAsync("bash", [Path.Combine(RepoPaths.Root, "tests", "start-postgres.sh"), "stop"],
            new Dictionary<string, string> { ["FANOUT_TEST_POSTGRES_DIR"] = _folder });
    }

    // The server refuses to run as root: root runs pg_ctl as the postgres OS user, as start-postgres.sh does.
    private async Task PgCtlAsync(params string[] args)
    {
        var pgCtl = Path.Combine(_bin, "pg_ctl");
        var (exit, output) = Environment.UserName == "root"
            ? await RunAsync("runuser", ["-u", "postgres", "--", pgCtl, .. args], null)
            : await RunAsync(pgCtl, args, null);
        if (exit != 0)
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)} failed ({exit}): {output}\nserver log:\n{ServerLogTail()}");
    }

    private string ServerLogTail()
    {
        var log = Path.Combine(_folder, "server.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(none)";
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] args, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandWithin);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within {CommandWithin.TotalSeconds:F0} s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
