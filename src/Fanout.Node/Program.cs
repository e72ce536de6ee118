using Fanout;
using Fanout.Node;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A Fanout worker node. Settings come from appsettings.json beside the program and environment variables
// of the same names (README: "Running a cluster"). A bad setting exits with code 2 and a message naming
// it; a node that cannot start (port in use, journal unreachable, no seed answers) exits with code 1;
// SIGTERM or Ctrl-C hands its work to other nodes, leaves the cluster and exits 0.
// `Fanout.Node migrate` instead creates the journal's tables and the runs index with the same settings and exits
// (0 done, 1 naming what failed, 2 a bad setting): for nodes run with FANOUT_CREATE_SCHEMA=false.
var migrate = args.Length > 0 && args[0] == "migrate";
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = migrate ? args[1..] : args,
    ContentRootPath = AppContext.BaseDirectory,
});

FanoutRuntimeOptions options;
try
{
    options = NodeSettings.From(builder.Configuration);
}
catch (NodeSettingsException e)
{
    Console.Error.WriteLine($"fanout-node: {e.Message}");
    return 2;
}

builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss.fff ";
});
if (migrate) return await MigrateCommand.RunAsync(builder, options);

builder.Services.AddSingleton(options);
builder.Services.AddHostedService<NodeService>();
// Room for the drain, the runs' hand-off and the leave after SIGTERM.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(30));

using var host = builder.Build();
options.LoggerFactory = host.Services.GetRequiredService<ILoggerFactory>();
try
{
    await host.RunAsync();
}
catch (Exception e) when (e is FanoutException or ArgumentException)
{
    Console.Error.WriteLine($"fanout-node: {e.Message}");
    return 1;
}
return Environment.ExitCode;
