using System.Net;
using System.Runtime.InteropServices;
using Fanout.Dashboard;
using Fanout.Views.Journal;

namespace Fanout.Cli.Commands;

/// <summary>
/// What <c>fanout ui</c> does: finds the journal, opens it read-only (<see cref="JournalRunViews"/>), serves the pages on
/// the node's own host (<see cref="DashboardHost"/>) and waits for Ctrl+C or SIGTERM. A wrong argument (no such file,
/// no journal in it, a folder with several, a bad or busy port) is exit code 2, naming it.
/// </summary>
internal static class UiServer
{
    /// <summary>The command line's values.</summary>
    public sealed record Settings(string? Db, string? Postgres, string Host, int Port, string? Token);

    public static async Task<int> RunAsync(Settings settings, CliContext context, CancellationToken ct)
    {
        if (settings.Port is < 0 or > 65535)
            return Usage(context, $"--port {settings.Port} is not a port (0 to 65535; 0 takes any free one)");
        if (!IPAddress.TryParse(settings.Host, out _))
            return Usage(context, $"--host '{settings.Host}' is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface)");

        if (settings.Token is null && !Fanout.Http.Security.ApiSecuritySettings.IsLoopback(settings.Host))
            return Usage(context, $"--host '{settings.Host}' is beyond loopback, where anyone who reaches it could read every run: " +
                                  "give --token <token> too (visitors then log in with it)");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Program cancels on Ctrl+C; a service manager or container stops with SIGTERM, which must also end cleanly.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        JournalLocation location;
        try
        {
            location = await JournalLocation.FindAsync(settings.Db, settings.Postgres, stop.Token).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Usage(context, e.Message);
        }
        catch (FanoutException e)
        {
            context.Fail(e.Message);
            return CliExitCodes.Failed;
        }

        await using var views = await JournalRunViews.OpenAsync(location, null, stop.Token).ConfigureAwait(false);
        DashboardHost host;
        try
        {
            host = await DashboardHost.StartReadOnlyAsync(views, new FanoutRuntimeOptions
            {
                HttpHost = settings.Host,
                HttpPort = settings.Port,
                ApiToken = settings.Token,
            }, stop.Token).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return Usage(context, $"cannot listen on {settings.Host}:{settings.Port} (--host/--port): {e.Message}");
        }
        catch (ArgumentException e)
        {
            return Usage(context, $"{e.Message} (fanout ui: --token, --host)");
        }

        await using (host)
        {
            context.Output.WriteLine($"Fanout UI (read-only) at {host.BaseUrl}ui/runs - journal {location.Description}");
            context.Output.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the usual way to stop serving.
            }
        }
        return CliExitCodes.Ok;
    }

    private static int Usage(CliContext context, string problem)
    {
        context.Fail(problem);
        return CliExitCodes.Usage;
    }
}
