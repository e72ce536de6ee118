using Fanout.Runtime.Journals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Node;

/// <summary>
/// <c>Fanout.Node migrate</c>: creates the journal's tables and the runs index in the database the node's settings name,
/// then exits; run once (by a deployment's migration job) as a role that may create tables, so the nodes can run
/// with FANOUT_CREATE_SCHEMA=false as a role that may not. Running it again changes nothing.
/// </summary>
internal static class MigrateCommand
{
    /// <returns>0 when every table exists; 1 naming what failed.</returns>
    public static async Task<int> RunAsync(HostApplicationBuilder builder, FanoutRuntimeOptions options)
    {
        using var host = builder.Build();
        options.LoggerFactory = host.Services.GetRequiredService<ILoggerFactory>();
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        try
        {
            var where = await JournalSchema.MigrateAsync(options, interrupted.Token);
            Console.WriteLine($"fanout-node migrate: the journal's tables and the runs index are ready in {where}");
            return 0;
        }
        catch (Exception e) when (e is FanoutException or ArgumentException)
        {
            Console.Error.WriteLine($"fanout-node migrate: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("fanout-node migrate: interrupted; run it again (it creates only what is missing)");
            return 1;
        }
    }
}
